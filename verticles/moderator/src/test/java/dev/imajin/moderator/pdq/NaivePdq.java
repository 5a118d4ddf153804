package dev.imajin.moderator.pdq;

import java.util.Arrays;

/**
 * A second PDQ, written as plainly as possible from the description, in double precision: each
 * box-filter output is the mean of its clipped window computed from scratch, the DCT is the
 * textbook double sum with cosines computed in place, and the dihedral variants are hashes of the
 * literally transformed 64x64 block. It shares no code with {@link Pdq}.
 */
final class NaivePdq {
  private NaivePdq() {}

  record Out(boolean[] bits, int quality, double[][] block) {}

  static double[][] luma(int[][] rgb, boolean grey) {
    int rows = rgb.length;
    int cols = rgb[0].length;
    double[][] y = new double[rows][cols];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        int p = rgb[i][j];
        int r = p >> 16 & 255;
        int g = p >> 8 & 255;
        int b = p & 255;
        y[i][j] = grey ? r : 0.299 * r + 0.587 * g + 0.114 * b;
      }
    }
    return y;
  }

  static Out hash(double[][] luma) {
    int rows = luma.length;
    int cols = luma[0].length;
    if (rows < 5 || cols < 5) {
      return new Out(new boolean[256], 0, null);
    }
    int wRows = (cols + 127) / 128;
    int wCols = (rows + 127) / 128;
    double[][] x = luma;
    for (int pass = 0; pass < 2; pass++) {
      x = boxRows(x, wRows);
      x = transpose(boxRows(transpose(x), wCols));
    }
    double[][] block = new double[64][64];
    for (int i = 0; i < 64; i++) {
      for (int j = 0; j < 64; j++) {
        block[i][j] =
            x[(int) Math.floor((i + 0.5) * rows / 64)][(int) Math.floor((j + 0.5) * cols / 64)];
      }
    }
    return new Out(bitsOf(block), quality(block), block);
  }

  static boolean[] bitsOf(double[][] block) {
    double[] c = new double[256];
    for (int u = 1; u <= 16; u++) {
      for (int v = 1; v <= 16; v++) {
        double s = 0;
        for (int r = 0; r < 64; r++) {
          for (int q = 0; q < 64; q++) {
            s +=
                Math.cos(Math.PI * u * (2 * r + 1) / 128.0)
                    * Math.cos(Math.PI * v * (2 * q + 1) / 128.0)
                    * block[r][q];
          }
        }
        c[(u - 1) * 16 + (v - 1)] = s * 2.0 / 64.0;
      }
    }
    double[] sorted = c.clone();
    Arrays.sort(sorted);
    double median = sorted[127];
    boolean[] bits = new boolean[256];
    for (int k = 0; k < 256; k++) {
      bits[k] = c[k] > median;
    }
    return bits;
  }

  static int quality(double[][] b) {
    int sum = 0;
    for (int i = 0; i < 64; i++) {
      for (int j = 0; j < 64; j++) {
        if (i < 63) {
          sum += Math.abs((int) ((b[i][j] - b[i + 1][j]) * 100 / 255));
        }
        if (j < 63) {
          sum += Math.abs((int) ((b[i][j] - b[i][j + 1]) * 100 / 255));
        }
      }
    }
    return Math.min(100, sum / 90);
  }

  /** Each output is the mean of inputs {@code [j - (w - h), j + h - 1]} within the row. */
  static double[][] boxRows(double[][] in, int w) {
    int h = (w + 2) / 2;
    double[][] out = new double[in.length][in[0].length];
    for (int i = 0; i < in.length; i++) {
      int n = in[i].length;
      for (int j = 0; j < n; j++) {
        int lo = Math.max(0, j - (w - h));
        int hi = Math.min(n - 1, j + h - 1);
        double s = 0;
        for (int k = lo; k <= hi; k++) {
          s += in[i][k];
        }
        out[i][j] = s / (hi - lo + 1);
      }
    }
    return out;
  }

  static double[][] transpose(double[][] m) {
    double[][] t = new double[m[0].length][m.length];
    for (int i = 0; i < m.length; i++) {
      for (int j = 0; j < m[0].length; j++) {
        t[j][i] = m[i][j];
      }
    }
    return t;
  }

  /** Pixel {@code (r, c)} of the transformed square image, read from the original. */
  static double[][] dihedral(double[][] m, String variant) {
    int n = m.length;
    double[][] t = new double[n][n];
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < n; c++) {
        t[r][c] =
            switch (variant) {
              case "original" -> m[r][c];
              case "rotate_90" -> m[c][n - 1 - r]; // counter-clockwise
              case "rotate_180" -> m[n - 1 - r][n - 1 - c];
              case "rotate_270" -> m[n - 1 - c][r];
              case "flip_x" -> m[n - 1 - r][c]; // upside down
              case "flip_y" -> m[r][n - 1 - c]; // left-right mirror
              case "flip_plus_1" -> m[c][r]; // main diagonal
              case "flip_minus_1" -> m[n - 1 - c][n - 1 - r]; // anti-diagonal
              default -> throw new IllegalArgumentException(variant);
            };
      }
    }
    return t;
  }
}
