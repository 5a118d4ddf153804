package dev.imajin.inference.scheduler;

import static dev.imajin.inference.scheduler.Reference.assertPrinted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LcmSchedulerTest {
  private static final SchedulerConfig DREAMSHAPER =
      SchedulerConfig.from(Reference.LCM_DREAMSHAPER, SchedulerKind.LCM);

  private static Scheduler lcm(int steps, double strength, Noise noise) {
    return Scheduler.create(DREAMSHAPER, SchedulerKind.LCM, steps, strength, noise);
  }

  @Test
  @DisplayName("Timesteps for 1, 2, 4 and 8 steps from 50 origin steps (§2.4)")
  void timesteps() {
    Noise noise = new GaussianNoise(0);
    assertThat(lcm(1, 1, noise).timesteps()).containsExactly(999);
    assertThat(lcm(2, 1, noise).timesteps()).containsExactly(999, 499);
    assertThat(lcm(4, 1, noise).timesteps()).containsExactly(999, 759, 499, 259);
    assertThat(lcm(8, 1, noise).timesteps())
        .containsExactly(999, 879, 759, 639, 499, 379, 259, 139);
  }

  @Test
  @DisplayName("Boundary condition at t = 999: c_skip ≈ 2.5e-9, c_out ≈ 1")
  void boundaryCondition() {
    assertPrinted(LcmScheduler.cSkip(999, 10), "2.5e-9");
    assertPrinted(LcmScheduler.cOut(999, 10), "1.0");
    assertThat(LcmScheduler.cSkip(0, 10)).isEqualTo(1f);
    assertThat(LcmScheduler.cOut(0, 10)).isZero();
  }

  @Test
  @DisplayName("timestep_cond for guidance 8.5 (w = 7.5, dim 256) matches §2.4 within 1e-3")
  void guidanceEmbedding() {
    float[] embedding = LcmGuidance.guidanceEmbedding(8.5f, 256);
    assertThat(embedding).hasSize(256);
    assertThat(embedding[0]).isCloseTo(-0.8512f, within(1e-3f));
    assertThat(embedding[1]).isCloseTo(0.8422f, within(1e-3f));
    assertThat(embedding[128]).isCloseTo(-0.5248f, within(1e-3f));
    assertThat(embedding[255]).isCloseTo(0.7317f, within(1e-3f));
    assertThat(LcmGuidance.guidanceEmbedding(8.5f, 9)[8]).isZero();
    assertThat(LcmGuidance.guidanceEmbedding(1f, 8)).containsExactly(0, 0, 0, 0, 1, 1, 1, 1);
  }

  @Test
  @DisplayName(
      "Each step but the last re-noises denoised to the next timestep; the last returns it")
  void steps() {
    Noise ones = out -> Arrays.fill(out, 1f);
    Scheduler lcm = lcm(2, 1, ones);
    NoiseSchedule schedule = NoiseSchedule.of(DREAMSHAPER);
    float[] x = {0.5f};
    lcm.step(new float[] {0.2f}, 0, x);
    float denoised = lcm.denoised()[0];
    float alpha = schedule.alphaCumprod(999);
    double x0 = (0.5 - Math.sqrt(1 - alpha) * 0.2) / Math.sqrt(alpha);
    assertThat((double) denoised)
        .isCloseTo(
            LcmScheduler.cOut(999, 10) * x0 + LcmScheduler.cSkip(999, 10) * 0.5, within(1e-5));
    float next = schedule.alphaCumprod(499);
    assertThat((double) x[0])
        .isCloseTo(Math.sqrt(next) * denoised + Math.sqrt(1 - next), within(1e-5));
    float[] last = lcm.step(new float[] {0.1f}, 1, x);
    assertThat(last).containsExactly(lcm.denoised());
  }

  @Test
  @DisplayName("img2img passes strength to the schedule: all N steps among the first 50·strength")
  void img2img() {
    Scheduler lcm = lcm(4, 0.5, new GaussianNoise(0));
    assertThat(lcm.startIndex()).isZero();
    assertThat(lcm.timesteps()).containsExactly(499, 379, 259, 139);
  }

  @Test
  @DisplayName("More steps than original_inference_steps × strength is refused, as in diffusers")
  void tooManySteps() {
    assertThatThrownBy(() -> lcm(51, 1, new GaussianNoise(0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("original_inference_steps");
    assertThatThrownBy(() -> lcm(4, 0.05, new GaussianNoise(0)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
