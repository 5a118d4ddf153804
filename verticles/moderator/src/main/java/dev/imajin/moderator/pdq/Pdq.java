package dev.imajin.moderator.pdq;

import dev.imajin.contracts.moderator.DihedralVariant;
import java.awt.image.BufferedImage;
import java.util.EnumMap;
import java.util.Map;

/**
 * PDQ, Meta's perceptual image hash, written from its published description (pdqhash-2017-10-09 and
 * the reference implementations' documented behaviour), in the reference's single-precision
 * arithmetic so that the same pixels give the same bits:
 *
 * <ol>
 *   <li>luminance {@code Y = 0.299f R + 0.587f G + 0.114f B} in float (a grey image's samples are
 *       used as they are);
 *   <li>a tent filter made of two passes of a 1-D box filter along rows then columns (Jarosz),
 *       window {@code (dim + 127) / 128} per dimension, each output the mean of the window {@code
 *       [i - (w - h), i + h - 1]} clipped to the image, {@code h = (w + 2) / 2}, computed as the
 *       reference does with a running float sum;
 *   <li>decimation to 64x64 by sampling row {@code (int) ((i + 0.5) * rows / 64)} and likewise for
 *       columns;
 *   <li>quality: the sum over adjacent pairs of the 64x64 image of {@code |(int) ((u - v) * 100 /
 *       255)|}, divided by 90, capped at 100;
 *   <li>DCT coefficients 1..16 x 1..16 of the 64x64 block ({@code D A D^T} with the 16x64 matrix
 *       {@code D[i][j] = sqrt(2/64) cos(pi / 128 (i + 1)(2j + 1))}, float sums in index order);
 *   <li>bit {@code 16i + j} set when coefficient {@code (i, j)} is strictly above the median (the
 *       128th smallest of the 256);
 *   <li>the eight dihedral variants from the same coefficients, by the sign flips and transposes a
 *       rotation or reflection of the image causes.
 * </ol>
 *
 * <p>Images smaller than 5 pixels in either dimension hash to zero with quality 0, as in the
 * reference. Images are hashed at full resolution: the reference C++ command-line front end first
 * resizes images over 512 pixels to 512x512 by nearest neighbour and the Python front end makes a
 * 512-pixel thumbnail; both are front-end shortcuts for speed, not part of the algorithm, and the
 * tent filter here already averages every pixel. Thread-safe; allocates its own buffers.
 */
public final class Pdq {
  /** The smallest width and height the reference hashes. */
  public static final int MIN_HASHABLE_DIM = 5;

  static final float LUMA_R = 0.299f;
  static final float LUMA_G = 0.587f;
  static final float LUMA_B = 0.114f;
  static final int PASSES = 2;

  /** The 16x64 DCT matrix, row-major, as the reference builds it (float scale times double cos). */
  static final float[] DCT = dctMatrix();

  private Pdq() {}

  /** A hash, its quality and the 16x16 coefficients it came from. */
  public record Result(Hash256 hash, int quality, float[] dct16x16) {
    /** The hash of one dihedral variant of the image. */
    public Hash256 variant(DihedralVariant v) {
      return bits(transform(dct16x16, v));
    }

    /** The hashes of all eight variants, in the contract's order. */
    public Map<DihedralVariant, Hash256> variants() {
      Map<DihedralVariant, Hash256> all = new EnumMap<>(DihedralVariant.class);
      for (DihedralVariant v : DihedralVariant.values()) {
        all.put(v, variant(v));
      }
      return all;
    }
  }

  /**
   * Hashes an image.
   *
   * @param grey whether the file is a grey-scale image, whose samples (R = G = B in {@code image})
   *     are the luminance itself
   */
  public static Result hash(BufferedImage image, boolean grey) {
    int rows = image.getHeight();
    int cols = image.getWidth();
    return hashLuma(luma(image, grey), rows, cols);
  }

  /** The luminance of an image, row-major, ignoring alpha as the reference does. */
  public static float[] luma(BufferedImage image, boolean grey) {
    int rows = image.getHeight();
    int cols = image.getWidth();
    float[] luma = new float[rows * cols];
    int[] row = new int[cols];
    for (int i = 0; i < rows; i++) {
      image.getRGB(0, i, cols, 1, row, 0, cols);
      int base = i * cols;
      for (int j = 0; j < cols; j++) {
        int p = row[j];
        if (grey) {
          luma[base + j] = (float) (p >>> 16 & 0xFF);
        } else {
          luma[base + j] =
              LUMA_R * (p >>> 16 & 0xFF) + LUMA_G * (p >>> 8 & 0xFF) + LUMA_B * (p & 0xFF);
        }
      }
    }
    return luma;
  }

  /** Hashes a luminance image, row-major; the array is overwritten. */
  public static Result hashLuma(float[] luma, int rows, int cols) {
    if (rows < MIN_HASHABLE_DIM || cols < MIN_HASHABLE_DIM) {
      return new Result(Hash256.of(0, 0, 0, 0), 0, new float[256]);
    }
    if (luma.length != rows * cols) {
      throw new IllegalArgumentException("luma has " + luma.length + " values, not " + rows * cols);
    }
    float[] scratch = new float[rows * cols];
    int windowAlongRows = windowSize(cols);
    int windowAlongCols = windowSize(rows);
    for (int pass = 0; pass < PASSES; pass++) {
      boxAlongRows(luma, scratch, rows, cols, windowAlongRows);
      boxAlongCols(scratch, luma, rows, cols, windowAlongCols);
    }
    float[] block = decimate(luma, rows, cols);
    int quality = quality(block);
    float[] dct = dct64To16(block);
    return new Result(bits(dct), quality, dct);
  }

  /** The reference's {@code computeJaroszFilterWindowSize} for 64 output cells. */
  static int windowSize(int dimension) {
    return (dimension + 127) / 128;
  }

  /** Box filter along each row, with a running float sum as the reference keeps it. */
  static void boxAlongRows(float[] in, float[] out, int rows, int cols, int window) {
    int half = (window + 2) / 2;
    int lead = half - 1;
    int grow = window - half + 1;
    int full = cols - window;
    int shrink = half - 1;
    for (int r = 0; r < rows; r++) {
      int base = r * cols;
      float sum = 0f;
      int count = 0;
      int ri = base;
      int li = base;
      int oi = base;
      for (int i = 0; i < lead; i++) {
        sum += in[ri++];
        count++;
      }
      for (int i = 0; i < grow; i++) {
        sum += in[ri++];
        count++;
        out[oi++] = sum / count;
      }
      for (int i = 0; i < full; i++) {
        sum += in[ri++];
        sum -= in[li++];
        out[oi++] = sum / count;
      }
      for (int i = 0; i < shrink; i++) {
        sum -= in[li++];
        count--;
        out[oi++] = sum / count;
      }
    }
  }

  /**
   * Box filter along each column. The columns are swept together, a row at a time, so memory is
   * read in order; each column still sees exactly the additions, subtractions and divisions, in the
   * same order, of the reference's one-column-at-a-time loop.
   */
  static void boxAlongCols(float[] in, float[] out, int rows, int cols, int window) {
    int half = (window + 2) / 2;
    int lead = half - 1;
    int grow = window - half + 1;
    int full = rows - window;
    int shrink = half - 1;
    float[] sum = new float[cols];
    int count = 0;
    int ri = 0;
    int li = 0;
    int oi = 0;
    for (int i = 0; i < lead; i++, ri++) {
      addRow(sum, in, ri * cols, cols);
      count++;
    }
    for (int i = 0; i < grow; i++, ri++, oi++) {
      addRow(sum, in, ri * cols, cols);
      count++;
      writeRow(out, oi * cols, sum, count, cols);
    }
    for (int i = 0; i < full; i++, ri++, li++, oi++) {
      int add = ri * cols;
      int sub = li * cols;
      for (int c = 0; c < cols; c++) {
        float s = sum[c] + in[add + c];
        sum[c] = s - in[sub + c];
      }
      writeRow(out, oi * cols, sum, count, cols);
    }
    for (int i = 0; i < shrink; i++, li++, oi++) {
      int sub = li * cols;
      for (int c = 0; c < cols; c++) {
        sum[c] -= in[sub + c];
      }
      count--;
      writeRow(out, oi * cols, sum, count, cols);
    }
  }

  private static void addRow(float[] sum, float[] in, int base, int cols) {
    for (int c = 0; c < cols; c++) {
      sum[c] += in[base + c];
    }
  }

  private static void writeRow(float[] out, int base, float[] sum, int count, int cols) {
    for (int c = 0; c < cols; c++) {
      out[base + c] = sum[c] / count;
    }
  }

  /** Samples the filtered image at the 64x64 cell centres. */
  static float[] decimate(float[] in, int rows, int cols) {
    float[] out = new float[64 * 64];
    for (int i = 0; i < 64; i++) {
      int ini = (int) (((i + 0.5) * rows) / 64);
      for (int j = 0; j < 64; j++) {
        int inj = (int) (((j + 0.5) * cols) / 64);
        out[i * 64 + j] = in[ini * cols + inj];
      }
    }
    return out;
  }

  /** The reference's image-domain quality metric, 0 to 100. */
  static int quality(float[] b) {
    int sum = 0;
    for (int i = 0; i < 63; i++) {
      for (int j = 0; j < 64; j++) {
        sum += Math.abs((int) ((b[i * 64 + j] - b[(i + 1) * 64 + j]) * 100 / 255));
      }
    }
    for (int i = 0; i < 64; i++) {
      for (int j = 0; j < 63; j++) {
        sum += Math.abs((int) ((b[i * 64 + j] - b[i * 64 + j + 1]) * 100 / 255));
      }
    }
    return Math.min(100, sum / 90);
  }

  /**
   * {@code D A D^T}, 16x16. Each coefficient is a float sum over {@code k} from 0 to 63 in order;
   * the loops are ordered for memory, not for the sums, which stay in that order.
   */
  static float[] dct64To16(float[] a) {
    float[] t = new float[16 * 64];
    for (int i = 0; i < 16; i++) {
      int ti = i * 64;
      for (int k = 0; k < 64; k++) {
        float d = DCT[i * 64 + k];
        int ak = k * 64;
        for (int j = 0; j < 64; j++) {
          t[ti + j] += d * a[ak + j];
        }
      }
    }
    float[] b = new float[256];
    for (int i = 0; i < 16; i++) {
      for (int j = 0; j < 16; j++) {
        float sum = 0f;
        for (int k = 0; k < 64; k++) {
          sum += t[i * 64 + k] * DCT[j * 64 + k];
        }
        b[i * 16 + j] = sum;
      }
    }
    return b;
  }

  /** Bits set where a coefficient is strictly above the median (the 128th smallest). */
  static Hash256 bits(float[] dct) {
    float[] sorted = dct.clone();
    java.util.Arrays.sort(sorted);
    float median = sorted[127];
    boolean[] bits = new boolean[256];
    for (int k = 0; k < 256; k++) {
      bits[k] = dct[k] > median;
    }
    return Hash256.fromBits(bits);
  }

  /**
   * The coefficients of a rotated or reflected image. Coefficient {@code (u, v)} of frequency
   * {@code (u + 1, v + 1)} changes sign under a reflection of its axis when the frequency is odd
   * (index even), and a quarter turn swaps the axes.
   */
  static float[] transform(float[] a, DihedralVariant variant) {
    float[] b = new float[256];
    for (int i = 0; i < 16; i++) {
      for (int j = 0; j < 16; j++) {
        float x = a[i * 16 + j];
        boolean iOdd = (i & 1) != 0;
        boolean jOdd = (j & 1) != 0;
        boolean sumOdd = ((i + j) & 1) != 0;
        switch (variant) {
          case ORIGINAL -> b[i * 16 + j] = x;
          case ROTATE_90 -> b[j * 16 + i] = jOdd ? x : -x;
          case ROTATE_180 -> b[i * 16 + j] = sumOdd ? -x : x;
          case ROTATE_270 -> b[j * 16 + i] = iOdd ? x : -x;
          case FLIP_X -> b[i * 16 + j] = iOdd ? x : -x;
          case FLIP_Y -> b[i * 16 + j] = jOdd ? x : -x;
          case FLIP_PLUS_1 -> b[j * 16 + i] = x;
          case FLIP_MINUS_1 -> b[j * 16 + i] = sumOdd ? -x : x;
        }
      }
    }
    return b;
  }

  private static float[] dctMatrix() {
    float scale = (float) Math.sqrt(2.0 / 64.0);
    float[] d = new float[16 * 64];
    for (int i = 0; i < 16; i++) {
      for (int j = 0; j < 64; j++) {
        d[i * 64 + j] = (float) (scale * Math.cos((Math.PI / 2 / 64.0) * (i + 1) * (2 * j + 1)));
      }
    }
    return d;
  }
}
