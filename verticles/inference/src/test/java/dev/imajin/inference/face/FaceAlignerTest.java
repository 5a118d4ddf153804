package dev.imajin.inference.face;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FaceAlignerTest {

  /** A similarity matrix from scale, angle and translation. */
  private static double[] matrix(double scale, double angle, double tx, double ty) {
    double a = scale * Math.cos(angle), b = scale * Math.sin(angle);
    return new double[] {a, -b, tx, b, a, ty};
  }

  @Test
  @DisplayName("The transform is recovered exactly from points mapped through it")
  void recovers() {
    double[] truth = matrix(1.7, 0.3, -12.5, 40.25);
    double[] src = {10, 20, 60, 18, 35, 45, 15, 70, 58, 72};
    double[] dst = FaceAligner.apply(truth, src);
    double[] found = FaceAligner.similarity(src, dst);
    for (int i = 0; i < 6; i++) {
      assertThat(found[i]).as("m[%d]", i).isCloseTo(truth[i], within(1e-9));
    }
    // and back
    double[] inverse = FaceAligner.similarity(dst, src);
    assertThat(FaceAligner.apply(inverse, dst)).containsExactly(src, within(1e-9));
  }

  @Test
  @DisplayName("The landmarks of a face map onto ArcFace's template when they are the template")
  void template() {
    double[] t = FaceAligner.ARCFACE_TEMPLATE;
    double[] id = FaceAligner.similarity(t, t);
    assertThat(id).containsExactly(new double[] {1, 0, 0, 0, 1, 0}, within(1e-12));
    // twice the template, shifted: scale 1/2 and the shift taken out
    double[] big = new double[10];
    for (int i = 0; i < 10; i++) {
      big[i] = 2 * t[i] + (i % 2 == 0 ? 30 : 7);
    }
    double[] m = FaceAligner.similarity(big, t);
    assertThat(m).containsExactly(new double[] {0.5, 0, -15, 0, 0.5, -3.5}, within(1e-9));
  }

  @Test
  @DisplayName("With noise the fit is the least-squares one: residuals sum to zero")
  void leastSquares() {
    double[] truth = matrix(0.8, -0.2, 5, 6);
    double[] src = {10, 20, 60, 18, 35, 45, 15, 70, 58, 72};
    double[] dst = FaceAligner.apply(truth, src);
    double[] noise = {0.5, -0.3, -0.2, 0.4, 0.1, 0.1, -0.4, -0.2, 0.3, 0.6};
    for (int i = 0; i < 10; i++) {
      dst[i] += noise[i];
    }
    double[] m = FaceAligner.similarity(src, dst);
    double[] fit = FaceAligner.apply(m, src);
    double rx = 0, ry = 0;
    for (int i = 0; i < 10; i += 2) {
      rx += dst[i] - fit[i];
      ry += dst[i + 1] - fit[i + 1];
    }
    assertThat(rx).isCloseTo(0, within(1e-9));
    assertThat(ry).isCloseTo(0, within(1e-9));
    // any nearby similarity fits worse
    double best = error(m, src, dst);
    for (double[] d : new double[][] {{1e-3, 0}, {0, 1e-3}, {-1e-3, 0}, {0, -1e-3}}) {
      double[] other = m.clone();
      other[0] += d[0];
      other[4] += d[0];
      other[3] += d[1];
      other[1] -= d[1];
      assertThat(error(other, src, dst)).isGreaterThan(best);
    }
  }

  private static double error(double[] m, double[] src, double[] dst) {
    double[] fit = FaceAligner.apply(m, src);
    double e = 0;
    for (int i = 0; i < fit.length; i++) {
      e += (fit[i] - dst[i]) * (fit[i] - dst[i]);
    }
    return e;
  }

  @Test
  @DisplayName("Points in one place have no transform")
  void degenerate() {
    assertThatThrownBy(() -> FaceAligner.similarity(new double[] {1, 1, 1, 1}, new double[4]))
        .hasMessageContaining("one place");
  }

  @Test
  @DisplayName("The warp samples bilinearly through the inverse and is black outside the image")
  void warp() {
    // a 4x3 image whose red level is 10 * x + y, green 100, blue 0
    int w = 4, h = 3;
    float[] planes = new float[3 * w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        planes[y * w + x] = 10 * x + y;
        planes[w * h + y * w + x] = 100;
      }
    }
    // output = image shifted by (-0.5, -1): output (x, y) samples source (x + 0.5, y + 1)
    double[] m = {1, 0, -0.5, 0, 1, -1};
    float[] out = FaceAligner.warp(planes, w, h, m, 4, 3);
    int p = 12;
    assertThat(out[0]).isCloseTo(5 + 1, within(1e-5f)); // source (0.5, 1)
    assertThat(out[1 * 4 + 2]).isCloseTo(25 + 2, within(1e-5f)); // source (2.5, 2)
    assertThat(out[p]).isCloseTo(100, within(1e-5f));
    // source (3.5, 1): half the pixel at x = 3, half outside (0)
    assertThat(out[3]).isCloseTo(0.5f * 31, within(1e-5f));
    assertThat(out[p + 3]).isCloseTo(50, within(1e-5f));
    // source (0.5, 3) lies below the last row: black
    assertThat(out[2 * 4]).isCloseTo(0, within(1e-5f));
    assertThat(out[2 * p + 5]).isZero();
  }

  @Test
  @DisplayName("Aligning a face drawn on the template reproduces it")
  void alignIdentity() {
    int s = FaceAligner.ARCFACE_SIZE;
    float[] planes = new float[3 * s * s];
    for (int i = 0; i < planes.length; i++) {
      planes[i] = (i * 7) % 251;
    }
    float[] marks = new float[10];
    for (int i = 0; i < 10; i++) {
      marks[i] = (float) FaceAligner.ARCFACE_TEMPLATE[i];
    }
    float[] out = FaceAligner.align(planes, s, s, marks, s);
    int off = 0;
    for (int i = 0; i < planes.length; i++) {
      if (Math.abs(out[i] - planes[i]) > 0.01f) {
        off++;
      }
    }
    assertThat(off).isZero();
  }

  @Test
  @DisplayName("A region is resampled at its pixel centres, black outside the image")
  void extent() {
    // a 8x2 image whose red level is 10 * x
    int w = 8, h = 2;
    float[] planes = new float[3 * w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        planes[y * w + x] = 10 * x;
      }
    }
    // [2, 6) x [0, 2) to 4x2: one source pixel per output pixel
    float[] same = FaceAligner.extent(planes, w, h, 2, 0, 6, 2, 4, 2);
    assertThat(java.util.Arrays.copyOf(same, 4))
        .containsExactly(new float[] {20, 30, 40, 50}, within(1e-4f));
    // [0, 8) to 4 columns: each output samples between two source pixels (x = 0.5, 2.5, ...)
    float[] half = FaceAligner.extent(planes, w, h, 0, 0, 8, 2, 4, 2);
    assertThat(java.util.Arrays.copyOf(half, 4))
        .containsExactly(new float[] {5, 25, 45, 65}, within(1e-4f));
    // [-2, 2): the first two output pixels lie left of the image
    float[] left = FaceAligner.extent(planes, w, h, -2, 0, 2, 2, 4, 2);
    assertThat(java.util.Arrays.copyOf(left, 4))
        .containsExactly(new float[] {0, 0, 0, 10}, within(1e-4f));
  }

  @Test
  @DisplayName("A face grows by its margin on each side")
  void grown() {
    Face f = new Face(10, 20, 30, 60, 0.9f, new float[10]).grown(0.3);
    assertThat(new float[] {f.x1(), f.y1(), f.x2(), f.y2()}).containsExactly(4f, 8f, 36f, 72f);
  }
}
