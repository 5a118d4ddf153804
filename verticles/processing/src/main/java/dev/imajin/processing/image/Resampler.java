package dev.imajin.processing.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.awt.image.SinglePixelPackedSampleModel;
import java.awt.image.WritableRaster;
import java.util.Arrays;

/**
 * Resizing and cropping, plus the geometry of the resize modes.
 *
 * <p>Resizing is a separable two-pass convolution with weights precomputed per output pixel. When
 * downscaling, the smooth filters are widened by the scale factor, so fine detail averages out
 * instead of aliasing. Images with alpha are resampled premultiplied, so the colour of transparent
 * pixels never bleeds into visible ones. All methods are static, thread-safe and leave their inputs
 * untouched; they return {@code TYPE_INT_ARGB} when the source has alpha and {@code TYPE_INT_RGB}
 * otherwise, and throw {@link IllegalArgumentException} for arguments that cannot work.
 */
public final class Resampler {

  /** The largest image, in pixels, that {@link #resize} creates. */
  public static final long MAX_PIXELS = 1L << 28;

  /** A resampling filter. {@code NEAREST} picks pixels; the others are antialiased downscaling. */
  public enum Filter {
    NEAREST,
    BILINEAR,
    BICUBIC,
    LANCZOS
  }

  /** How {@link #plan} turns a requested box into a crop and a size. */
  public enum Mode {
    /** Keep the aspect ratio and stay inside the box. */
    FIT,
    /** Keep the aspect ratio, cover the box and crop the overflow around an anchor. */
    FILL,
    /** Stretch to the box. */
    EXACT
  }

  /** A point of an outer area, and the matching point of a box placed on it. */
  public enum Anchor {
    TOP_LEFT(0, 0),
    TOP(0.5, 0),
    TOP_RIGHT(1, 0),
    LEFT(0, 0.5),
    CENTER(0.5, 0.5),
    RIGHT(1, 0.5),
    BOTTOM_LEFT(0, 1),
    BOTTOM(0.5, 1),
    BOTTOM_RIGHT(1, 1);

    private final double fx;
    private final double fy;

    Anchor(double fx, double fy) {
      this.fx = fx;
      this.fy = fy;
    }

    /** The left edge of a box {@code inner} wide whose anchor point sits on an area's. */
    public double x(double outer, double inner) {
      return (outer - inner) * fx;
    }

    /** The top edge of a box {@code inner} high whose anchor point sits on an area's. */
    public double y(double outer, double inner) {
      return (outer - inner) * fy;
    }

    /** 0 for the left column, 0.5 for the middle, 1 for the right. */
    double fx() {
      return fx;
    }

    /** 0 for the top row, 0.5 for the middle, 1 for the bottom. */
    double fy() {
      return fy;
    }
  }

  /** A size in pixels, both sides at least 1. */
  public record Box(int width, int height) {
    public Box {
      if (width < 1 || height < 1) {
        throw new IllegalArgumentException("size " + width + "x" + height + " is not positive");
      }
    }
  }

  /** A rectangle in image pixels; {@code x} and {@code y} are its top-left corner. */
  public record Rect(int x, int y, int width, int height) {
    public Rect {
      if (width < 0 || height < 0) {
        throw new IllegalArgumentException("rectangle " + width + "x" + height + " is negative");
      }
    }
  }

  /** What a resize does: cut {@code source} out of the image and resample it to {@code target}. */
  public record Plan(Rect source, Box target) {}

  private Resampler() {}

  /** Resamples the whole of {@code src} to {@code width} x {@code height}. */
  public static BufferedImage resize(BufferedImage src, int width, int height, Filter filter) {
    return resize(src, whole(src.getWidth(), src.getHeight(), new Box(width, height)), filter);
  }

  /** Resamples the plan's source rectangle of {@code src} to the plan's target size. */
  public static BufferedImage resize(BufferedImage src, Plan plan, Filter filter) {
    Rect r = plan.source();
    checkInside(src, r.x(), r.y(), r.width(), r.height(), "source rectangle");
    Box t = plan.target();
    if ((long) t.width() * t.height() > MAX_PIXELS) {
      throw new IllegalArgumentException(
          "target " + t.width() + "x" + t.height() + " exceeds " + MAX_PIXELS + " pixels");
    }
    if (t.width() == r.width() && t.height() == r.height()) {
      return copyRegion(src, r.x(), r.y(), r.width(), r.height());
    }
    if (filter == Filter.NEAREST) {
      return nearest(src, r, t);
    }
    return Convolution.run(src, r, t, filter);
  }

  /**
   * Cuts a rectangle out of {@code src}.
   *
   * @throws IllegalArgumentException when the rectangle is empty or not inside the image
   */
  public static BufferedImage crop(BufferedImage src, int x, int y, int width, int height) {
    checkInside(src, x, y, width, height, "crop rectangle");
    return copyRegion(src, x, y, width, height);
  }

  /**
   * The size that keeps the aspect ratio of a {@code srcWidth} x {@code srcHeight} image inside a
   * box. A missing side (null) follows the aspect ratio of the other.
   *
   * @param allowEnlarge when false, a source smaller than the box keeps its size
   */
  public static Box fit(
      int srcWidth, int srcHeight, Integer width, Integer height, boolean allowEnlarge) {
    checkBox(srcWidth, srcHeight, width, height);
    long w;
    long h;
    if (width != null && (height == null || (long) width * srcHeight <= (long) height * srcWidth)) {
      w = width;
      h = Math.round((double) srcHeight * width / srcWidth);
    } else {
      h = height;
      w = Math.round((double) srcWidth * height / srcHeight);
    }
    if (!allowEnlarge && (w > srcWidth || h > srcHeight)) {
      return new Box(srcWidth, srcHeight);
    }
    return new Box(side(w), side(h));
  }

  /**
   * The crop of a {@code srcWidth} x {@code srcHeight} image that has the aspect ratio of a {@code
   * width} x {@code height} box and is as large as possible, placed at {@code anchor}; resampled to
   * the box, it covers the box exactly.
   *
   * @param allowEnlarge when false and the crop is smaller than the box, the target is the crop
   *     itself (same aspect as the box, not enlarged)
   */
  public static Plan fill(
      int srcWidth, int srcHeight, int width, int height, Anchor anchor, boolean allowEnlarge) {
    checkBox(srcWidth, srcHeight, width, height);
    int cw;
    int ch;
    if ((long) width * srcHeight >= (long) height * srcWidth) {
      cw = srcWidth;
      ch = clamp(Math.round((double) srcWidth * height / width), 1, srcHeight);
    } else {
      ch = srcHeight;
      cw = clamp(Math.round((double) srcHeight * width / height), 1, srcWidth);
    }
    int x = (int) Math.floor(anchor.x(srcWidth, cw));
    int y = (int) Math.floor(anchor.y(srcHeight, ch));
    Box target =
        !allowEnlarge && (width > cw || height > ch) ? new Box(cw, ch) : new Box(width, height);
    return new Plan(new Rect(x, y, cw, ch), target);
  }

  /**
   * The plan for a resize mode. For {@code FILL} and {@code EXACT} a missing side behaves as in
   * {@code FIT}; {@code EXACT} without enlargement keeps each side at most the source's.
   */
  public static Plan plan(
      Mode mode,
      int srcWidth,
      int srcHeight,
      Integer width,
      Integer height,
      Anchor anchor,
      boolean allowEnlarge) {
    checkBox(srcWidth, srcHeight, width, height);
    if (width == null || height == null || mode == Mode.FIT) {
      return whole(srcWidth, srcHeight, fit(srcWidth, srcHeight, width, height, allowEnlarge));
    }
    if (mode == Mode.FILL) {
      return fill(srcWidth, srcHeight, width, height, anchor, allowEnlarge);
    }
    Box exact =
        allowEnlarge
            ? new Box(width, height)
            : new Box(Math.min(width, srcWidth), Math.min(height, srcHeight));
    return whole(srcWidth, srcHeight, exact);
  }

  private static Plan whole(int srcWidth, int srcHeight, Box target) {
    return new Plan(new Rect(0, 0, srcWidth, srcHeight), target);
  }

  private static void checkBox(int srcWidth, int srcHeight, Integer width, Integer height) {
    if (srcWidth < 1 || srcHeight < 1) {
      throw new IllegalArgumentException("source " + srcWidth + "x" + srcHeight + " is empty");
    }
    if (width == null && height == null) {
      throw new IllegalArgumentException("give a width, a height or both");
    }
    if ((width != null && width < 1) || (height != null && height < 1)) {
      throw new IllegalArgumentException("box " + width + "x" + height + " is not positive");
    }
  }

  private static int side(long v) {
    if (v > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("a side of " + v + " pixels is too large");
    }
    return (int) Math.max(1, v);
  }

  private static int clamp(long v, int lo, int hi) {
    return (int) Math.max(lo, Math.min(hi, v));
  }

  private static void checkInside(BufferedImage src, int x, int y, int w, int h, String what) {
    int iw = src.getWidth();
    int ih = src.getHeight();
    if (x < 0 || y < 0 || w < 1 || h < 1 || (long) x + w > iw || (long) y + h > ih) {
      throw new IllegalArgumentException(
          String.format(
              "%s x=%d y=%d width=%d height=%d is not inside the %dx%d image",
              what, x, y, w, h, iw, ih));
    }
  }

  private static BufferedImage nearest(BufferedImage src, Rect r, Box t) {
    boolean alpha = hasAlpha(src);
    BufferedImage out = newImage(t.width(), t.height(), alpha);
    int[] dst = data(out);
    int[] xs = new int[t.width()];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = Math.min(r.width() - 1, (int) ((i + 0.5) * r.width() / t.width()));
    }
    int[] row = new int[r.width()];
    int mask = alpha ? 0xFFFFFFFF : 0xFFFFFF;
    for (int y = 0; y < t.height(); y++) {
      int sy = Math.min(r.height() - 1, (int) ((y + 0.5) * r.height() / t.height()));
      readRow(src, r.x(), r.y() + sy, r.width(), row);
      int o = y * t.width();
      for (int i = 0; i < xs.length; i++) {
        dst[o + i] = row[xs[i]] & mask;
      }
    }
    return out;
  }

  // ---- pixel access shared by this package ----

  static boolean hasAlpha(BufferedImage img) {
    return img.getColorModel().hasAlpha();
  }

  /** A new, zeroed image: {@code TYPE_INT_ARGB} with alpha, {@code TYPE_INT_RGB} without. */
  static BufferedImage newImage(int width, int height, boolean alpha) {
    return new BufferedImage(
        width, height, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
  }

  /** The pixel array of an image made by {@link #newImage} (offset 0, stride = width). */
  static int[] data(BufferedImage img) {
    return ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
  }

  /** A copy of {@code src} as {@code TYPE_INT_ARGB} or {@code TYPE_INT_RGB}. */
  static BufferedImage copy(BufferedImage src) {
    return copyRegion(src, 0, 0, src.getWidth(), src.getHeight());
  }

  private static BufferedImage copyRegion(BufferedImage src, int x, int y, int w, int h) {
    boolean alpha = hasAlpha(src);
    BufferedImage out = newImage(w, h, alpha);
    int[] dst = data(out);
    int[] row = new int[w];
    int mask = alpha ? 0xFFFFFFFF : 0xFFFFFF;
    for (int j = 0; j < h; j++) {
      readRow(src, x, y + j, w, row);
      int o = j * w;
      for (int i = 0; i < w; i++) {
        dst[o + i] = row[i] & mask;
      }
    }
    return out;
  }

  /**
   * Reads {@code w} pixels of row {@code y} from column {@code x} as non-premultiplied ARGB (alpha
   * 255 for images without alpha). INT images are read straight from their arrays.
   */
  static void readRow(BufferedImage img, int x, int y, int w, int[] dst) {
    int type = img.getType();
    WritableRaster raster = img.getRaster();
    if ((type == BufferedImage.TYPE_INT_RGB || type == BufferedImage.TYPE_INT_ARGB)
        && raster.getDataBuffer() instanceof DataBufferInt db
        && raster.getSampleModel() instanceof SinglePixelPackedSampleModel sm) {
      int stride = sm.getScanlineStride();
      int off =
          db.getOffset()
              + (y - raster.getSampleModelTranslateY()) * stride
              + (x - raster.getSampleModelTranslateX());
      System.arraycopy(db.getData(), off, dst, 0, w);
      if (type == BufferedImage.TYPE_INT_RGB) {
        for (int i = 0; i < w; i++) {
          dst[i] |= 0xFF000000;
        }
      }
    } else {
      img.getRGB(x, y, w, 1, dst, 0, w);
    }
  }

  /**
   * The two passes: source rows are filtered horizontally into a small ring of rows, from which the
   * vertical pass makes each output row. Premultiplied float channels, 3 or 4 per pixel.
   */
  private static final class Convolution {

    private Convolution() {}

    static BufferedImage run(BufferedImage src, Rect r, Box t, Filter filter) {
      boolean alpha = hasAlpha(src);
      int c = alpha ? 4 : 3;
      Weights hx = Weights.of(r.width(), t.width(), filter);
      Weights vy = Weights.of(r.height(), t.height(), filter);
      int ringSize = vy.maxCount;
      float[][] ring = new float[ringSize][t.width() * c];
      int[] pixels = new int[r.width()];
      float[] line = new float[r.width() * c];
      float[] acc = new float[t.width() * c];
      BufferedImage out = newImage(t.width(), t.height(), alpha);
      int[] dst = data(out);
      int next = 0;
      for (int y = 0; y < t.height(); y++) {
        int s = vy.start[y];
        int n = vy.count[y];
        for (int row = Math.max(next, s); row < s + n; row++) {
          readRow(src, r.x(), r.y() + row, r.width(), pixels);
          unpack(pixels, line, alpha);
          hx.apply(line, ring[row % ringSize], c);
        }
        next = Math.max(next, s + n);
        Arrays.fill(acc, 0f);
        int wo = y * vy.stride;
        for (int k = 0; k < n; k++) {
          float w = vy.weights[wo + k];
          float[] in = ring[(s + k) % ringSize];
          for (int j = 0; j < acc.length; j++) {
            acc[j] += w * in[j];
          }
        }
        pack(acc, dst, y * t.width(), t.width(), alpha);
      }
      return out;
    }

    private static void unpack(int[] px, float[] line, boolean alpha) {
      if (alpha) {
        for (int i = 0, o = 0; i < px.length; i++, o += 4) {
          int p = px[i];
          int a = p >>> 24;
          float f = a * (1f / 255f);
          line[o] = ((p >> 16) & 0xFF) * f;
          line[o + 1] = ((p >> 8) & 0xFF) * f;
          line[o + 2] = (p & 0xFF) * f;
          line[o + 3] = a;
        }
      } else {
        for (int i = 0, o = 0; i < px.length; i++, o += 3) {
          int p = px[i];
          line[o] = (p >> 16) & 0xFF;
          line[o + 1] = (p >> 8) & 0xFF;
          line[o + 2] = p & 0xFF;
        }
      }
    }

    private static void pack(float[] acc, int[] dst, int offset, int width, boolean alpha) {
      if (alpha) {
        for (int i = 0, o = 0; i < width; i++, o += 4) {
          float a = Math.min(255f, acc[o + 3]);
          int ai = (int) (a + 0.5f);
          if (ai <= 0) {
            dst[offset + i] = 0;
            continue;
          }
          float inv = 255f / a;
          dst[offset + i] =
              ai << 24
                  | channel(acc[o] * inv) << 16
                  | channel(acc[o + 1] * inv) << 8
                  | channel(acc[o + 2] * inv);
        }
      } else {
        for (int i = 0, o = 0; i < width; i++, o += 3) {
          dst[offset + i] = channel(acc[o]) << 16 | channel(acc[o + 1]) << 8 | channel(acc[o + 2]);
        }
      }
    }

    private static int channel(float v) {
      return v <= 0f ? 0 : v >= 255f ? 255 : (int) (v + 0.5f);
    }
  }

  /** Per output pixel: the first source pixel, the number of taps and their normalised weights. */
  private static final class Weights {
    final int[] start;
    final int[] count;
    final float[] weights;
    final int stride;
    final int maxCount;

    private Weights(int[] start, int[] count, float[] weights, int stride, int maxCount) {
      this.start = start;
      this.count = count;
      this.weights = weights;
      this.stride = stride;
      this.maxCount = maxCount;
    }

    static Weights of(int in, int out, Filter filter) {
      double scale = (double) out / in;
      double widen = Math.max(1.0, 1.0 / scale);
      double support = support(filter) * widen;
      int stride = (int) Math.ceil(2 * support) + 2;
      int[] start = new int[out];
      int[] count = new int[out];
      float[] weights = new float[out * stride];
      double[] tmp = new double[stride];
      int maxCount = 1;
      for (int i = 0; i < out; i++) {
        double center = (i + 0.5) / scale;
        int lo = Math.max(0, (int) Math.floor(center - support));
        int hi = Math.min(in, (int) Math.ceil(center + support));
        double sum = 0;
        for (int j = lo; j < hi; j++) {
          tmp[j - lo] = kernel(filter, (j + 0.5 - center) / widen);
          sum += tmp[j - lo];
        }
        int first = 0;
        int last = hi - lo - 1;
        while (first < last && tmp[first] == 0) {
          first++;
        }
        while (last > first && tmp[last] == 0) {
          last--;
        }
        start[i] = lo + first;
        count[i] = last - first + 1;
        maxCount = Math.max(maxCount, count[i]);
        for (int k = first; k <= last; k++) {
          weights[i * stride + k - first] = (float) (tmp[k] / sum);
        }
      }
      return new Weights(start, count, weights, stride, maxCount);
    }

    void apply(float[] in, float[] out, int c) {
      if (c == 4) {
        for (int i = 0, o = 0; i < start.length; i++, o += 4) {
          int p = start[i] * 4;
          int wo = i * stride;
          float r = 0;
          float g = 0;
          float b = 0;
          float a = 0;
          for (int k = 0, n = count[i]; k < n; k++, p += 4) {
            float w = weights[wo + k];
            r += w * in[p];
            g += w * in[p + 1];
            b += w * in[p + 2];
            a += w * in[p + 3];
          }
          out[o] = r;
          out[o + 1] = g;
          out[o + 2] = b;
          out[o + 3] = a;
        }
      } else {
        for (int i = 0, o = 0; i < start.length; i++, o += 3) {
          int p = start[i] * 3;
          int wo = i * stride;
          float r = 0;
          float g = 0;
          float b = 0;
          for (int k = 0, n = count[i]; k < n; k++, p += 3) {
            float w = weights[wo + k];
            r += w * in[p];
            g += w * in[p + 1];
            b += w * in[p + 2];
          }
          out[o] = r;
          out[o + 1] = g;
          out[o + 2] = b;
        }
      }
    }

    private static double support(Filter filter) {
      return switch (filter) {
        case NEAREST -> 0.5;
        case BILINEAR -> 1;
        case BICUBIC -> 2;
        case LANCZOS -> 3;
      };
    }

    private static double kernel(Filter filter, double x) {
      double t = Math.abs(x);
      return switch (filter) {
        case NEAREST -> t <= 0.5 ? 1 : 0;
        case BILINEAR -> t < 1 ? 1 - t : 0;
        case BICUBIC -> cubic(t);
        case LANCZOS -> t < 3 ? sinc(t) * sinc(t / 3) : 0;
      };
    }

    /** Keys' cubic convolution with a = -0.5 (Catmull-Rom). */
    private static double cubic(double t) {
      double a = -0.5;
      if (t < 1) {
        return ((a + 2) * t - (a + 3)) * t * t + 1;
      }
      if (t < 2) {
        return ((a * t - 5 * a) * t + 8 * a) * t - 4 * a;
      }
      return 0;
    }

    private static double sinc(double t) {
      if (t == 0) {
        return 1;
      }
      double p = Math.PI * t;
      return Math.sin(p) / p;
    }
  }
}
