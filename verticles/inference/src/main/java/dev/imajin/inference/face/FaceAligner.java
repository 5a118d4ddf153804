package dev.imajin.inference.face;

/**
 * ArcFace alignment: the least-squares similarity transform (rotation, uniform scale, translation;
 * Umeyama's solution, as skimage's {@code SimilarityTransform.estimate}) that takes a face's five
 * landmarks onto ArcFace's 112x112 template, and a bilinear warp of the image through it with a
 * black border (OpenCV's {@code warpAffine} with integer pixel centres and {@code BORDER_CONSTANT}
 * 0); and {@link #extent}, a box of the image resized as PIL crops one for age classifiers. Pure
 * functions on RGB planes of 8-bit levels; thread-safe.
 */
public final class FaceAligner {
  /** ArcFace's landmark template for a 112x112 face, x, y pairs in {@link Face} order. */
  public static final double[] ARCFACE_TEMPLATE = {
    38.2946, 51.6963, 73.5318, 51.5014, 56.0252, 71.7366, 41.5493, 92.3655, 70.7299, 92.2041
  };

  public static final int ARCFACE_SIZE = 112;

  private FaceAligner() {}

  /**
   * The similarity transform taking {@code src} points onto {@code dst} in the least-squares sense,
   * as a 2x3 row-major matrix {@code [a, -b, tx, b, a, ty]}: {@code x' = a x - b y + tx}, {@code y'
   * = b x + a y + ty}. In two dimensions Umeyama's SVD solution reduces to this closed form, with
   * {@code a + ib = sum(conj(s) d) / sum(|s|^2)} over the centred points.
   *
   * @param src x, y pairs
   * @param dst x, y pairs, as many as {@code src}
   * @throws IllegalArgumentException for fewer than two points, or points all in one place
   */
  public static double[] similarity(double[] src, double[] dst) {
    if (src.length != dst.length || src.length < 4 || src.length % 2 != 0) {
      throw new IllegalArgumentException(
          "need two lists of at least 2 points of equal length, got "
              + src.length / 2.0
              + " and "
              + dst.length / 2.0);
    }
    int n = src.length / 2;
    double sx = 0, sy = 0, dx = 0, dy = 0;
    for (int i = 0; i < n; i++) {
      sx += src[2 * i];
      sy += src[2 * i + 1];
      dx += dst[2 * i];
      dy += dst[2 * i + 1];
    }
    sx /= n;
    sy /= n;
    dx /= n;
    dy /= n;
    double dot = 0, cross = 0, norm = 0;
    for (int i = 0; i < n; i++) {
      double x = src[2 * i] - sx, y = src[2 * i + 1] - sy;
      double u = dst[2 * i] - dx, v = dst[2 * i + 1] - dy;
      dot += x * u + y * v;
      cross += x * v - y * u;
      norm += x * x + y * y;
    }
    if (!(norm > 1e-12)) {
      throw new IllegalArgumentException("the source points are all in one place");
    }
    double a = dot / norm;
    double b = cross / norm;
    return new double[] {a, -b, dx - (a * sx - b * sy), b, a, dy - (b * sx + a * sy)};
  }

  /** Applies a 2x3 matrix to x, y pairs. */
  public static double[] apply(double[] m, double[] points) {
    double[] out = new double[points.length];
    for (int i = 0; i < points.length; i += 2) {
      out[i] = m[0] * points[i] + m[1] * points[i + 1] + m[2];
      out[i + 1] = m[3] * points[i] + m[4] * points[i + 1] + m[5];
    }
    return out;
  }

  /** ArcFace's template for a square face of {@code size} pixels (112 as published). */
  public static double[] template(int size) {
    double[] t = ARCFACE_TEMPLATE.clone();
    for (int i = 0; i < t.length; i++) {
      t[i] *= size / (double) ARCFACE_SIZE;
    }
    return t;
  }

  /**
   * The face warped onto the template, as RGB planes [3, size, size] of levels.
   *
   * @param planes the image as RGB planes [3, height, width] of levels
   * @param landmarks the face's five landmarks, x, y pairs in image pixels
   */
  public static float[] align(float[] planes, int width, int height, float[] landmarks, int size) {
    double[] src = new double[landmarks.length];
    for (int i = 0; i < src.length; i++) {
      src[i] = landmarks[i];
    }
    return warp(planes, width, height, similarity(src, template(size)), size, size);
  }

  /**
   * The image seen through a similarity matrix (image to output coordinates): each output pixel
   * {@code (x, y)} takes the bilinear sample at the inverse transform of {@code (x, y)}, where
   * source pixels outside the image count as 0.
   */
  public static float[] warp(
      float[] planes, int width, int height, double[] m, int outWidth, int outHeight) {
    double a = m[0], b = m[3];
    if (m[1] != -b || m[4] != a) {
      throw new IllegalArgumentException("not a similarity matrix");
    }
    return affine(planes, width, height, m, outWidth, outHeight);
  }

  /** {@link #warp} through any invertible 2x3 affine matrix (image to output coordinates). */
  private static float[] affine(
      float[] planes, int width, int height, double[] m, int outWidth, int outHeight) {
    int plane = width * height;
    if (planes.length != 3 * plane) {
      throw new IllegalArgumentException(
          planes.length + " values are not 3 planes of " + width + "x" + height);
    }
    double det = m[0] * m[4] - m[1] * m[3];
    if (!(Math.abs(det) > 1e-18)) {
      throw new IllegalArgumentException("the matrix is not invertible");
    }
    double i00 = m[4] / det, i01 = -m[1] / det, i10 = -m[3] / det, i11 = m[0] / det;
    int outPlane = outWidth * outHeight;
    float[] out = new float[3 * outPlane];
    for (int y = 0; y < outHeight; y++) {
      for (int x = 0; x < outWidth; x++) {
        double px = x - m[2], py = y - m[5];
        double sx = i00 * px + i01 * py;
        double sy = i10 * px + i11 * py;
        int x0 = (int) Math.floor(sx), y0 = (int) Math.floor(sy);
        double fx = sx - x0, fy = sy - y0;
        if (x0 < -1 || y0 < -1 || x0 >= width || y0 >= height) {
          continue;
        }
        double w00 = (1 - fx) * (1 - fy), w10 = fx * (1 - fy), w01 = (1 - fx) * fy, w11 = fx * fy;
        for (int c = 0; c < 3; c++) {
          int base = c * plane;
          double v =
              w00 * at(planes, base, width, height, x0, y0)
                  + w10 * at(planes, base, width, height, x0 + 1, y0)
                  + w01 * at(planes, base, width, height, x0, y0 + 1)
                  + w11 * at(planes, base, width, height, x0 + 1, y0 + 1);
          out[c * outPlane + y * outWidth + x] = (float) v;
        }
      }
    }
    return out;
  }

  /**
   * A region of the image, {@code [x1, x2) x [y1, y2)} in pixels, resized to {@code outWidth} x
   * {@code outHeight} by bilinear sampling (no antialiasing), black outside the image: PIL's {@code
   * Image.transform(size, EXTENT, region, BILINEAR)}, which the starter pack's age classifier was
   * trained on (its face box grown by {@link Face#grown}).
   */
  public static float[] extent(
      float[] planes,
      int width,
      int height,
      double x1,
      double y1,
      double x2,
      double y2,
      int outWidth,
      int outHeight) {
    double sx = (x2 - x1) / outWidth;
    double sy = (y2 - y1) / outHeight;
    if (!(sx > 0) || !(sy > 0)) {
      throw new IllegalArgumentException(
          "an empty region: " + x1 + ", " + y1 + ", " + x2 + ", " + y2);
    }
    // output (x, y) samples the source at x1 + (x + 0.5) sx in pixel-edge coordinates, which is
    // x1 + (x + 0.5) sx - 0.5 in the integer-centre coordinates warp uses
    double[] m = {1 / sx, 0, 0, 0, 1 / sy, 0};
    m[2] = -(x1 + 0.5 * sx - 0.5) / sx;
    m[5] = -(y1 + 0.5 * sy - 0.5) / sy;
    return affine(planes, width, height, m, outWidth, outHeight);
  }

  private static float at(float[] planes, int base, int width, int height, int x, int y) {
    return x < 0 || y < 0 || x >= width || y >= height ? 0 : planes[base + y * width + x];
  }
}
