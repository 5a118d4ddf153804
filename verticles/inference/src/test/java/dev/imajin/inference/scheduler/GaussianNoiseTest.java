package dev.imajin.inference.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class GaussianNoiseTest {

  private static float[] draw(long seed, int n) {
    float[] out = new float[n];
    new GaussianNoise(seed).fill(out);
    return out;
  }

  @Test
  @DisplayName("The same seed gives the same floats, bit for bit; another seed others")
  void reproducible() {
    float[] a = draw(42, 4 * 128 * 128);
    assertThat(draw(42, 4 * 128 * 128)).containsExactly(a);
    assertThat(draw(43, 16)).isNotEqualTo(Arrays.copyOf(a, 16));
  }

  @Test
  @DisplayName("The first draws of seed 42 are pinned, so any change to the generator shows")
  void pinned() {
    // xoshiro256++ / SplitMix64 / Box–Muller re-derived in Python: -0.7689931 1.6661185 ...
    float[] first = draw(42, 4);
    int[] bits = new int[4];
    for (int i = 0; i < 4; i++) {
      bits[i] = Float.floatToRawIntBits(first[i]);
    }
    assertThat(bits).containsExactly(-1086006085, 1070941023, -1084337540, -1070641599);
    assertThat(first).containsExactly(-0.7689931f, 1.6661185f, -0.8684461f, -2.7391512f);
  }

  @Test
  @DisplayName("Draws form one stream: 3 then 5 equal 8 at once")
  void stream() {
    GaussianNoise noise = new GaussianNoise(9);
    float[] three = new float[3];
    float[] five = new float[5];
    noise.fill(three);
    noise.fill(five);
    float[] eight = draw(9, 8);
    assertThat(Arrays.copyOfRange(eight, 0, 3)).containsExactly(three);
    assertThat(Arrays.copyOfRange(eight, 3, 8)).containsExactly(five);
  }

  @Test
  @DisplayName("Draws are standard normal: mean 0, variance 1, 4.5% beyond 2σ")
  void normal() {
    float[] z = draw(1, 200_000);
    double sum = 0;
    double squares = 0;
    int beyond = 0;
    for (float v : z) {
      sum += v;
      squares += v * v;
      beyond += Math.abs(v) > 2 ? 1 : 0;
    }
    assertThat(sum / z.length).isCloseTo(0, within(0.01));
    assertThat(squares / z.length).isCloseTo(1, within(0.01));
    assertThat((double) beyond / z.length).isCloseTo(0.0455, within(0.002));
  }
}
