package dev.imajin.inference.image;

/**
 * The steps of Hugging Face image processors that {@link Resize} and {@link ImagePreprocess} leave
 * out, for models that crop instead of squashing (CLIP, BLIP, ImageReward): the size that resizing
 * the shortest edge gives, the centre crop, and the per-channel normalisation, all on planes {@code
 * [channels, height, width]}. Stateless and thread-safe.
 */
public final class ImageTensors {
  private ImageTensors() {}

  /**
   * The {width, height} an image of {@code width} x {@code height} gets when its shorter side is
   * resized to {@code edge} and the longer one in proportion, rounded down (as {@code size:
   * {shortest_edge: N}} and torchvision's {@code Resize(N)}).
   */
  public static int[] shortestEdgeSize(int width, int height, int edge) {
    if (edge < 1 || width < 1 || height < 1) {
      throw new IllegalArgumentException(
          "cannot resize " + width + "x" + height + " to a shortest edge of " + edge);
    }
    int longSide = (int) ((long) edge * Math.max(width, height) / Math.min(width, height));
    return width <= height ? new int[] {edge, longSide} : new int[] {longSide, edge};
  }

  /**
   * The centre {@code cropWidth} x {@code cropHeight} of planes {@code [channels, height, width]},
   * zero where the crop reaches past the image, as the processors' {@code center_crop}.
   */
  public static float[] centerCrop(
      float[] planes, int width, int height, int cropWidth, int cropHeight) {
    int channels = planes.length / (width * height);
    if (channels * width * height != planes.length || cropWidth < 1 || cropHeight < 1) {
      throw new IllegalArgumentException(
          "cannot crop "
              + planes.length
              + " values of "
              + width
              + "x"
              + height
              + " planes to "
              + cropWidth
              + "x"
              + cropHeight);
    }
    int left = offset(width, cropWidth);
    int top = offset(height, cropHeight);
    float[] out = new float[channels * cropWidth * cropHeight];
    for (int c = 0; c < channels; c++) {
      for (int y = 0; y < cropHeight; y++) {
        int sy = y + top;
        if (sy < 0 || sy >= height) {
          continue;
        }
        for (int x = 0; x < cropWidth; x++) {
          int sx = x + left;
          if (sx >= 0 && sx < width) {
            out[(c * cropHeight + y) * cropWidth + x] = planes[(c * height + sy) * width + sx];
          }
        }
      }
    }
    return out;
  }

  /** Where the crop starts: the centre, as Python's {@code (size - crop) // 2} on either side. */
  private static int offset(int size, int crop) {
    return size >= crop ? (size - crop) / 2 : -((crop - size) / 2);
  }

  /**
   * Normalises 8-bit levels in planes {@code [channels, ...]} in place: {@code (v * rescale -
   * mean[c]) / std[c]}.
   */
  public static void normalize(float[] planes, double rescale, float[] mean, float[] std) {
    int channels = mean.length;
    if (std.length != channels || planes.length % channels != 0) {
      throw new IllegalArgumentException(
          "mean and std need one value per channel of " + planes.length + " values");
    }
    int plane = planes.length / channels;
    for (int c = 0; c < channels; c++) {
      for (int i = c * plane; i < (c + 1) * plane; i++) {
        planes[i] = (float) ((planes[i] * rescale - mean[c]) / std[c]);
      }
    }
  }
}
