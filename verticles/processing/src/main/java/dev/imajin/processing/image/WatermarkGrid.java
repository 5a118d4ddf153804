package dev.imajin.processing.image;

/**
 * The bridge between an image and the watermark's working grid: a square of {@code n x n} samples
 * in normalised coordinates, so an image and any resized copy of it map to (nearly) the same grid.
 * Shrinking averages areas, enlarging interpolates linearly; both are separable.
 */
final class WatermarkGrid {

  private WatermarkGrid() {}

  /** The grid size for an image whose shorter side is {@code minSide} pixels. */
  static int size(int minSide) {
    if (minSide < 128) {
      return 64;
    }
    return minSide < 256 ? 128 : 256;
  }

  /** The Rec. 601 luma of packed (A)RGB pixels, resampled onto an {@code n x n} grid. */
  static double[] luminance(int[] argb, int width, int height, int n) {
    Taps across = Taps.of(width, n);
    Taps down = Taps.of(height, n);
    double[] line = new double[width];
    double[] rows = new double[height * n];
    for (int y = 0; y < height; y++) {
      int base = y * width;
      for (int x = 0; x < width; x++) {
        int p = argb[base + x];
        line[x] = 0.299 * ((p >> 16) & 255) + 0.587 * ((p >> 8) & 255) + 0.114 * (p & 255);
      }
      across.apply(line, 0, 1, rows, y * n, 1);
    }
    double[] grid = new double[n * n];
    for (int x = 0; x < n; x++) {
      down.apply(rows, x, n, grid, x, n);
    }
    return grid;
  }

  /**
   * Adds {@code delta}, an {@code n x n} grid interpolated bilinearly to the image size, to the
   * red, green and blue of every pixel (rounded and clamped) and writes the result to {@code out};
   * alpha is copied.
   */
  static void addToRgb(int[] argb, int width, int height, double[] delta, int n, int[] out) {
    int[] x0 = new int[width];
    double[] fx = new double[width];
    positions(width, n, x0, fx);
    int[] y0 = new int[height];
    double[] fy = new double[height];
    positions(height, n, y0, fy);
    double[] row = new double[n];
    for (int y = 0; y < height; y++) {
      int a = y0[y] * n;
      int b = Math.min(y0[y] + 1, n - 1) * n;
      double f = fy[y];
      for (int i = 0; i < n; i++) {
        row[i] = delta[a + i] + f * (delta[b + i] - delta[a + i]);
      }
      int base = y * width;
      for (int x = 0; x < width; x++) {
        int i = x0[x];
        double left = row[i];
        double d = left + fx[x] * (row[Math.min(i + 1, n - 1)] - left);
        int add = (int) Math.floor(d + 0.5);
        int p = argb[base + x];
        out[base + x] =
            (p & 0xff000000)
                | clamp(((p >> 16) & 255) + add) << 16
                | clamp(((p >> 8) & 255) + add) << 8
                | clamp((p & 255) + add);
      }
    }
  }

  /** Peak signal-to-noise ratio of two equally sized pixel arrays over R, G and B, in dB. */
  static double psnr(int[] a, int[] b) {
    long sum = 0;
    for (int i = 0; i < a.length; i++) {
      int p = a[i];
      int q = b[i];
      int dr = ((p >> 16) & 255) - ((q >> 16) & 255);
      int dg = ((p >> 8) & 255) - ((q >> 8) & 255);
      int db = (p & 255) - (q & 255);
      sum += dr * dr + dg * dg + db * db;
    }
    if (sum == 0) {
      return InvisibleWatermark.IDENTICAL_PSNR;
    }
    double mse = sum / (3.0 * a.length);
    return 10 * Math.log10(255.0 * 255.0 / mse);
  }

  private static int clamp(int v) {
    return v < 0 ? 0 : Math.min(v, 255);
  }

  /**
   * For each of {@code len} pixels, the grid sample left of its centre and the weight of the next.
   */
  private static void positions(int len, int n, int[] index, double[] frac) {
    double scale = (double) n / len;
    for (int i = 0; i < len; i++) {
      double g = Math.min(Math.max((i + 0.5) * scale - 0.5, 0), n - 1);
      index[i] = (int) g;
      frac[i] = g - index[i];
    }
  }

  /** Precomputed 1-D resampling weights from {@code in} samples to {@code out}. */
  private record Taps(int[] start, int[] count, double[] weight, int width) {

    static Taps of(int in, int out) {
      return in >= out ? area(in, out) : linear(in, out);
    }

    private static Taps area(int in, int out) {
      double scale = (double) in / out;
      int width = (int) Math.ceil(scale) + 1;
      int[] start = new int[out];
      int[] count = new int[out];
      double[] weight = new double[out * width];
      for (int o = 0; o < out; o++) {
        double lo = o * scale;
        double hi = lo + scale;
        int first = (int) lo;
        int last = Math.min(in - 1, (int) Math.ceil(hi) - 1);
        start[o] = first;
        count[o] = last - first + 1;
        for (int j = first; j <= last; j++) {
          double cover = Math.min(hi, j + 1) - Math.max(lo, j);
          weight[o * width + j - first] = cover / scale;
        }
      }
      return new Taps(start, count, weight, width);
    }

    private static Taps linear(int in, int out) {
      int[] start = new int[out];
      int[] count = new int[out];
      double[] weight = new double[out * 2];
      int[] index = new int[out];
      double[] frac = new double[out];
      positions(out, in, index, frac);
      for (int o = 0; o < out; o++) {
        start[o] = index[o];
        count[o] = index[o] + 1 < in ? 2 : 1;
        weight[o * 2] = count[o] == 2 ? 1 - frac[o] : 1;
        weight[o * 2 + 1] = count[o] == 2 ? frac[o] : 0;
      }
      return new Taps(start, count, weight, 2);
    }

    void apply(double[] src, int srcOff, int srcStep, double[] dst, int dstOff, int dstStep) {
      for (int o = 0; o < start.length; o++) {
        double s = 0;
        int w = o * width;
        int j = srcOff + start[o] * srcStep;
        for (int t = 0; t < count[o]; t++, j += srcStep) {
          s += weight[w + t] * src[j];
        }
        dst[dstOff + o * dstStep] = s;
      }
    }
  }
}
