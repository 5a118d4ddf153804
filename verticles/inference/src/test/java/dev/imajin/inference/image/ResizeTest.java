package dev.imajin.inference.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ResizeTest {
  /** One channel, one row: [1, 1, n]. */
  private static float[] row(float... values) {
    return values;
  }

  @Test
  @DisplayName("Halving with bilinear weighs each source pixel by PIL's widened triangle")
  void bilinearDownscaleAveragesLikePil() {
    // PIL, 4 -> 2: scale 2, support 2; output 0 is centred at 1.0 and reads sources 0..2 with
    // triangle weights 0.75, 0.75, 0.25 (normalised by 1.75); output 1 reads 1..3 with 0.25,
    // 0.75, 0.75.
    float[] out = Resize.squash(row(0, 70, 140, 210), 4, 1, 2, 1, Resample.BILINEAR);
    assertThat(out[0])
        .isEqualTo((float) Math.floor((0.75 * 0 + 0.75 * 70 + 0.25 * 140) / 1.75 + .5));
    assertThat(out[1])
        .isEqualTo((float) Math.floor((0.25 * 70 + 0.75 * 140 + 0.75 * 210) / 1.75 + .5));
  }

  @Test
  @DisplayName("Upscaling with bilinear interpolates between neighbours, edges clamped")
  void bilinearUpscale() {
    // 2 -> 4: centres at 0.25, 0.75, 1.25, 1.75 source pixels.
    float[] out = Resize.squash(row(0, 100), 2, 1, 4, 1, Resample.BILINEAR);
    assertThat(out).containsExactly(0f, 25f, 75f, 100f);
  }

  @Test
  @DisplayName("Bicubic overshoots at an edge and is clipped to 0..255; nearest picks centres")
  void bicubicClipsAndNearestPicks() {
    float[] step = row(0, 0, 255, 255);
    float[] up = Resize.squash(step, 4, 1, 8, 1, Resample.BICUBIC);
    for (float v : up) {
      assertThat(v).isBetween(0f, 255f);
    }
    assertThat(up[0]).isZero();
    assertThat(up[7]).isEqualTo(255f);
    float[] nearest = Resize.squash(row(10, 20, 30, 40, 50, 60), 6, 1, 3, 1, Resample.NEAREST);
    assertThat(nearest).containsExactly(20f, 40f, 60f);
  }

  @Test
  @DisplayName("A flat image stays flat in both directions, whatever the filter and size")
  void flatStaysFlat() {
    BufferedImage image = new BufferedImage(37, 23, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 23; y++) {
      for (int x = 0; x < 37; x++) {
        image.setRGB(x, y, 0x40_80_C0);
      }
    }
    for (Resample filter : Resample.values()) {
      float[] planes = Resize.squash(image, 16, 9, filter);
      assertThat(planes).hasSize(3 * 16 * 9);
      assertThat(planes[0]).isEqualTo(0x40);
      assertThat(planes[16 * 9 + 5]).isEqualTo(0x80);
      assertThat(planes[3 * 16 * 9 - 1]).isEqualTo(0xC0);
    }
  }

  @Test
  @DisplayName("Rows and columns resize independently: a vertical gradient keeps its columns")
  void separable() {
    BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 8; y++) {
      for (int x = 0; x < 8; x++) {
        image.setRGB(x, y, (y * 32) << 16);
      }
    }
    float[] planes = Resize.squash(image, 3, 4, Resample.BILINEAR);
    for (int y = 0; y < 4; y++) {
      assertThat(planes[y * 3]).isEqualTo(planes[y * 3 + 2]);
      // Output row y averages source rows 2y-1..2y+2 weighted 1/8, 3/8, 3/8, 1/8 (edges clamp).
      double expected = 32 * (2 * y + 0.5);
      if (y > 0 && y < 3) {
        assertThat((double) planes[y * 3]).isCloseTo(expected, within(0.51));
      }
    }
    assertThat(planes[12 * 3 - 1]).isZero();
  }
}
