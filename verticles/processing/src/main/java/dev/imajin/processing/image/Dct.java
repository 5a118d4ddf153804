package dev.imajin.processing.image;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Separable orthonormal 2-D DCT-II on square row-major {@code double} arrays, with cosine tables
 * computed once per size. The "low" transforms touch only the top-left {@code k x k} coefficients,
 * which is all the watermark needs, so they cost {@code O(n^2 k)} instead of {@code O(n^3)}.
 * Thread-safe: the tables are immutable once published.
 */
final class Dct {

  private static final ConcurrentMap<Integer, double[]> TABLES = new ConcurrentHashMap<>();

  private Dct() {}

  /** {@code t[k * n + i]} is basis function {@code k} of the n-point DCT-II at sample {@code i}. */
  static double[] table(int n) {
    return TABLES.computeIfAbsent(n, Dct::compute);
  }

  private static double[] compute(int n) {
    double[] t = new double[n * n];
    for (int k = 0; k < n; k++) {
      double c = Math.sqrt((k == 0 ? 1.0 : 2.0) / n);
      for (int i = 0; i < n; i++) {
        t[k * n + i] = c * Math.cos(Math.PI * (2 * i + 1) * k / (2.0 * n));
      }
    }
    return t;
  }

  /**
   * The coefficients {@code (u, v)}, {@code u, v < k}, of the DCT of the {@code n x n} signal
   * {@code x}, as a {@code k x k} array indexed {@code u * k + v} (u vertical, v horizontal).
   */
  static double[] forwardLow(double[] x, int n, int k) {
    double[] tab = table(n);
    double[] rows = new double[n * k];
    for (int y = 0; y < n; y++) {
      int row = y * n;
      for (int v = 0; v < k; v++) {
        int basis = v * n;
        double s = 0;
        for (int i = 0; i < n; i++) {
          s += tab[basis + i] * x[row + i];
        }
        rows[y * k + v] = s;
      }
    }
    double[] c = new double[k * k];
    for (int u = 0; u < k; u++) {
      int basis = u * n;
      for (int y = 0; y < n; y++) {
        double b = tab[basis + y];
        int src = y * k;
        int dst = u * k;
        for (int v = 0; v < k; v++) {
          c[dst + v] += b * rows[src + v];
        }
      }
    }
    return c;
  }

  /** The {@code n x n} signal whose DCT is {@code c} ({@code k x k}, zero elsewhere). */
  static double[] inverseLow(double[] c, int n, int k) {
    double[] tab = table(n);
    double[] rows = new double[k * n];
    for (int u = 0; u < k; u++) {
      for (int v = 0; v < k; v++) {
        double a = c[u * k + v];
        if (a == 0) {
          continue;
        }
        int basis = v * n;
        int dst = u * n;
        for (int x = 0; x < n; x++) {
          rows[dst + x] += a * tab[basis + x];
        }
      }
    }
    double[] out = new double[n * n];
    for (int y = 0; y < n; y++) {
      int dst = y * n;
      for (int u = 0; u < k; u++) {
        double b = tab[u * n + y];
        int src = u * n;
        for (int x = 0; x < n; x++) {
          out[dst + x] += b * rows[src + x];
        }
      }
    }
    return out;
  }

  /**
   * Forward DCT of the {@code b x b} block at {@code offset} of an image {@code stride} wide into
   * {@code out} ({@code b x b}, indexed {@code u * b + v}); {@code tmp} holds {@code b * b}.
   */
  static void forwardBlock(
      double[] img, int stride, int offset, int b, double[] tmp, double[] out) {
    double[] tab = table(b);
    for (int y = 0; y < b; y++) {
      int row = offset + y * stride;
      for (int v = 0; v < b; v++) {
        int basis = v * b;
        double s = 0;
        for (int i = 0; i < b; i++) {
          s += tab[basis + i] * img[row + i];
        }
        tmp[y * b + v] = s;
      }
    }
    for (int u = 0; u < b; u++) {
      for (int v = 0; v < b; v++) {
        double s = 0;
        for (int y = 0; y < b; y++) {
          s += tab[u * b + y] * tmp[y * b + v];
        }
        out[u * b + v] = s;
      }
    }
  }

  /** The inverse of {@link #forwardBlock}: writes the block back into {@code img}. */
  static void inverseBlock(
      double[] coef, int b, double[] tmp, double[] img, int stride, int offset) {
    double[] tab = table(b);
    for (int u = 0; u < b; u++) {
      for (int x = 0; x < b; x++) {
        double s = 0;
        for (int v = 0; v < b; v++) {
          s += coef[u * b + v] * tab[v * b + x];
        }
        tmp[u * b + x] = s;
      }
    }
    for (int y = 0; y < b; y++) {
      int row = offset + y * stride;
      for (int x = 0; x < b; x++) {
        double s = 0;
        for (int u = 0; u < b; u++) {
          s += tab[u * b + y] * tmp[u * b + x];
        }
        img[row + x] = s;
      }
    }
  }
}
