package dev.imajin.processing.image;

/**
 * Local analysis of the working grid in {@code 8 x 8} blocks (each an eighth of the image across).
 *
 * <p>A blind detector fights the image itself: edges and textures spread energy over every global
 * frequency and drown the mark. Measured locally, most of that energy sits in a few busy blocks.
 * {@link #whiten} divides every block coefficient by the typical magnitude of its neighbours, so
 * busy blocks and strong frequencies count no more than quiet ones, and {@link #spread} shifts the
 * mark's energy towards the quiet blocks where the detector hears it best. Both are computed from
 * the image alone, never from the key, so a wrong key still meets the image as random signs.
 */
final class WatermarkBlocks {

  /** Blocks across (and down) the grid. */
  static final int BLOCKS = 8;

  /** Luma deviation below which a block counts as flat when sharing out the mark. */
  private static final double QUIET = 4;

  /** Coefficient magnitude, per 8 grid samples of block width, below which nothing is amplified. */
  private static final double FLOOR = 1;

  private WatermarkBlocks() {}

  /** Per-sample gain, mean square 1, that favours flat blocks; smooth between block centres. */
  static double[] spread(double[] grid, int n) {
    return interpolate(blockGains(grid, n, null), n);
  }

  /** The grid, whitened block by block and weighted by {@link #spread}. */
  static double[] whiten(double[] grid, int n) {
    double[] out = new double[n * n];
    double[] gains = blockGains(grid, n, out);
    double[] spread = interpolate(gains, n);
    for (int i = 0; i < out.length; i++) {
      out[i] *= spread[i];
    }
    return out;
  }

  /** Each block's gain; when {@code whitened} is given, also writes the whitened grid there. */
  private static double[] blockGains(double[] grid, int n, double[] whitened) {
    int b = n / BLOCKS;
    double floor = FLOOR * FLOOR * b * b / 64.0;
    double[] coef = new double[b * b];
    double[] flat = new double[b * b];
    double[] tmp = new double[b * b];
    double[] gains = new double[BLOCKS * BLOCKS];
    for (int by = 0; by < BLOCKS; by++) {
      for (int bx = 0; bx < BLOCKS; bx++) {
        int offset = by * b * n + bx * b;
        Dct.forwardBlock(grid, n, offset, b, tmp, coef);
        double energy = 0;
        for (int u = 0; u < b; u++) {
          for (int v = 0; v < b; v++) {
            double c = coef[u * b + v];
            energy += u + v >= 2 ? c * c : 0;
          }
        }
        gains[by * BLOCKS + bx] = 1 / Math.sqrt(energy / (b * b) + QUIET * QUIET);
        if (whitened != null) {
          normalise(coef, b, floor, flat);
          Dct.inverseBlock(flat, b, tmp, whitened, n, offset);
        }
      }
    }
    return gains;
  }

  /** Divides each coefficient by the RMS of its 3x3 neighbourhood (DC excluded, and zeroed). */
  private static void normalise(double[] coef, int b, double floor, double[] out) {
    for (int u = 0; u < b; u++) {
      for (int v = 0; v < b; v++) {
        if (u == 0 && v == 0) {
          out[0] = 0;
          continue;
        }
        double sum = 0;
        int count = 0;
        for (int p = Math.max(0, u - 1); p <= Math.min(b - 1, u + 1); p++) {
          for (int q = Math.max(0, v - 1); q <= Math.min(b - 1, v + 1); q++) {
            if (p != 0 || q != 0) {
              double c = coef[p * b + q];
              sum += c * c;
              count++;
            }
          }
        }
        out[u * b + v] = coef[u * b + v] / Math.sqrt(sum / count + floor);
      }
    }
  }

  /** Bilinear interpolation of per-block values between block centres, scaled to mean square 1. */
  private static double[] interpolate(double[] gains, int n) {
    double b = (double) n / BLOCKS;
    double[] out = new double[n * n];
    double sum = 0;
    for (int y = 0; y < n; y++) {
      double gy = Math.min(Math.max((y + 0.5) / b - 0.5, 0), BLOCKS - 1);
      int y0 = (int) gy;
      int y1 = Math.min(y0 + 1, BLOCKS - 1);
      double fy = gy - y0;
      for (int x = 0; x < n; x++) {
        double gx = Math.min(Math.max((x + 0.5) / b - 0.5, 0), BLOCKS - 1);
        int x0 = (int) gx;
        int x1 = Math.min(x0 + 1, BLOCKS - 1);
        double fx = gx - x0;
        double top = gains[y0 * BLOCKS + x0] * (1 - fx) + gains[y0 * BLOCKS + x1] * fx;
        double bottom = gains[y1 * BLOCKS + x0] * (1 - fx) + gains[y1 * BLOCKS + x1] * fx;
        double g = top * (1 - fy) + bottom * fy;
        out[y * n + x] = g;
        sum += g * g;
      }
    }
    double scale = 1 / Math.sqrt(sum / out.length);
    for (int i = 0; i < out.length; i++) {
      out[i] *= scale;
    }
    return out;
  }
}
