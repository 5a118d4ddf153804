package dev.imajin.inference.image;

import java.awt.image.BufferedImage;

/**
 * Squash-resizing (the aspect ratio is not kept) as PIL's {@code Image.resize} does it, which the
 * Hugging Face image processors call: a separable convolution whose filter widens with the
 * downscale factor, so shrinking averages every source pixel instead of sampling a few; the
 * horizontal pass runs first and each pass rounds to whole 8-bit levels, as PIL does for RGB
 * images. Nearest picks the source pixel under each output pixel's centre. Values stay within 1
 * level of PIL's fixed-point arithmetic. Thread-safe; allocates its outputs.
 */
public final class Resize {
  private Resize() {}

  /** The image's RGB as planes [3, h, w] of levels 0..255; alpha is ignored. */
  public static float[] planes(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    int plane = w * h;
    int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
    float[] out = new float[3 * plane];
    for (int i = 0; i < plane; i++) {
      int p = argb[i];
      out[i] = (p >> 16) & 0xff;
      out[plane + i] = (p >> 8) & 0xff;
      out[2 * plane + i] = p & 0xff;
    }
    return out;
  }

  /** The image's RGB resized to {@code width} x {@code height}, as planes [3, height, width]. */
  public static float[] squash(BufferedImage image, int width, int height, Resample filter) {
    return squash(planes(image), image.getWidth(), image.getHeight(), width, height, filter);
  }

  /** Planes [channels, srcHeight, srcWidth] resized to [channels, height, width]. */
  public static float[] squash(
      float[] planes, int srcWidth, int srcHeight, int width, int height, Resample filter) {
    if (width < 1 || height < 1 || srcWidth < 1 || srcHeight < 1) {
      throw new IllegalArgumentException(
          "cannot resize " + srcWidth + "x" + srcHeight + " to " + width + "x" + height);
    }
    int channels = planes.length / (srcWidth * srcHeight);
    if (channels * srcWidth * srcHeight != planes.length) {
      throw new IllegalArgumentException(
          planes.length + " values are not whole planes of " + srcWidth + "x" + srcHeight);
    }
    float[] rows =
        width == srcWidth
            ? planes
            : pass(
                planes, channels, srcHeight, srcWidth, true, width, taps(srcWidth, width, filter));
    return height == srcHeight
        ? rows
        : pass(rows, channels, width, srcHeight, false, height, taps(srcHeight, height, filter));
  }

  /**
   * One pass along an axis of {@code in} samples, for {@code lines} lines per channel: along rows
   * (each line a row) or along columns (each line a column, {@code lines} = the width).
   */
  private static float[] pass(
      float[] src, int channels, int lines, int in, boolean horizontal, int out, Taps taps) {
    float[] dst = new float[channels * lines * out];
    for (int c = 0; c < channels; c++) {
      int srcPlane = c * lines * in;
      int dstPlane = c * lines * out;
      for (int l = 0; l < lines; l++) {
        for (int o = 0; o < out; o++) {
          double sum = 0;
          int first = taps.first[o];
          for (int k = 0; k < taps.count[o]; k++) {
            int i = first + k;
            int at = horizontal ? srcPlane + l * in + i : srcPlane + i * lines + l;
            sum += src[at] * taps.weights[o * taps.width + k];
          }
          int to = horizontal ? dstPlane + l * out + o : dstPlane + o * lines + l;
          dst[to] = level(sum);
        }
      }
    }
    return dst;
  }

  private static float level(double v) {
    return (float) Math.max(0, Math.min(255, Math.floor(v + 0.5)));
  }

  /** Each output sample's first source sample, tap count and normalised weights. */
  private record Taps(int[] first, int[] count, double[] weights, int width) {}

  private static Taps taps(int in, int out, Resample filter) {
    double scale = (double) in / out;
    if (filter == Resample.NEAREST) {
      int[] first = new int[out];
      int[] count = new int[out];
      double[] weights = new double[out];
      for (int o = 0; o < out; o++) {
        first[o] = Math.min(in - 1, (int) ((o + 0.5) * scale));
        count[o] = 1;
        weights[o] = 1;
      }
      return new Taps(first, count, weights, 1);
    }
    double filterScale = Math.max(scale, 1);
    double support = filter.support() * filterScale;
    int width = (int) Math.ceil(support) * 2 + 1;
    int[] first = new int[out];
    int[] count = new int[out];
    double[] weights = new double[out * width];
    for (int o = 0; o < out; o++) {
      double center = (o + 0.5) * scale;
      int min = Math.max((int) (center - support + 0.5), 0);
      int n = Math.min((int) (center + support + 0.5), in) - min;
      double total = 0;
      for (int k = 0; k < n; k++) {
        double w = filter.weight((k + min - center + 0.5) / filterScale);
        weights[o * width + k] = w;
        total += w;
      }
      if (total != 0) {
        for (int k = 0; k < n; k++) {
          weights[o * width + k] /= total;
        }
      }
      first[o] = min;
      count[o] = n;
    }
    return new Taps(first, count, weights, width);
  }
}
