package dev.imajin.inference.scheduler;

/**
 * numpy's {@code linspace}, {@code arange}, {@code interp} and {@code round}, reproduced in float64
 * with their rounding, so that timesteps and sigmas come out as diffusers computes them.
 */
final class Grids {
  private Grids() {}

  /** {@code np.linspace(start, stop, num)}: i·step + start, the last value exactly stop. */
  static double[] linspace(double start, double stop, int num) {
    double[] y = new double[num];
    double step = (stop - start) / (num - 1);
    for (int i = 0; i < num; i++) {
      y[i] = num > 1 ? i * step + start : start;
    }
    if (num > 1) {
      y[num - 1] = stop;
    }
    return y;
  }

  /** {@code np.linspace(start, stop, num, endpoint=False)}. */
  static double[] linspaceExclusive(double start, double stop, int num) {
    double[] y = new double[num];
    double step = (stop - start) / num;
    for (int i = 0; i < num; i++) {
      y[i] = i * step + start;
    }
    return y;
  }

  /**
   * {@code np.arange(start, stop, step)} for a float step, cut to at most {@code limit} values.
   * numpy sizes it as ⌈(stop − start)/step⌉, which for some step counts (61 of 1000, …) is one more
   * than diffusers means, the extra value lying next to {@code stop}; the limit drops it.
   */
  static double[] arange(double start, double stop, double step, int limit) {
    int length = (int) Math.min(Math.ceil((stop - start) / step), limit);
    double[] y = new double[Math.max(length, 0)];
    double delta = (start + step) - start;
    for (int i = 0; i < y.length; i++) {
      y[i] = i == 0 ? start : i == 1 ? start + step : start + i * delta;
    }
    return y;
  }

  /**
   * {@code np.interp(x, arange(len(fp)), fp)}: linear interpolation of float32 values on the
   * integer grid, computed in float64 and clamped to the end values outside it.
   */
  static double interp(float[] fp, double x) {
    int last = fp.length - 1;
    if (!(x > 0)) {
      return fp[0];
    }
    if (x >= last) {
      return fp[last];
    }
    int j = (int) Math.floor(x);
    double slope = (double) fp[j + 1] - fp[j];
    return slope * (x - j) + fp[j];
  }

  /** {@code np.round}: to the nearest integer, ties to even. */
  static long round(double x) {
    return (long) Math.rint(x);
  }

  static void requireSameLength(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException(
          "arrays differ in length: " + a.length + " and " + b.length);
    }
  }
}
