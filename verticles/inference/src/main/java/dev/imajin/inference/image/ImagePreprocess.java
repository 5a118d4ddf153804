package dev.imajin.inference.image;

import dev.imajin.inference.model.ModelException;
import dev.imajin.inference.model.ModelParameters;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;

/**
 * How a model takes an image, as Hugging Face image processors prepare one: squash-resized (no
 * crop) to {@code height} x {@code width} with {@link Resize}, multiplied by {@code rescale}, then
 * {@code (v - mean[c]) / std[c]} per channel, as RGB planes [3, height, width] (one NCHW item).
 *
 * <p>{@link #read} takes it from a manifest's {@code preprocess} section:
 *
 * <pre>{@code
 * size: 224                  # or [height, width]; else the size the graph declares
 * resample: bicubic          # nearest, bilinear, bicubic, or a PIL code (0, 2, 3); default bicubic
 * rescale: 0.00392156862745098   # default 1/255
 * mean: [0.5, 0.5, 0.5]
 * std: [0.5, 0.5, 0.5]
 * }</pre>
 */
public record ImagePreprocess(
    int height, int width, Resample resample, double rescale, float[] mean, float[] std) {
  public static final int MAX_SIDE = 4096;
  public static final double DEFAULT_RESCALE = 1 / 255.0;

  public ImagePreprocess {
    if (height < 1 || width < 1 || height > MAX_SIDE || width > MAX_SIDE) {
      throw new IllegalArgumentException(
          "size must be 1.." + MAX_SIDE + " per side, was " + height + "x" + width);
    }
    if (!(rescale > 0) || Double.isInfinite(rescale)) {
      throw new IllegalArgumentException("rescale must be a positive number, was " + rescale);
    }
    mean = channels("mean", mean);
    std = channels("std", std);
    for (float s : std) {
      if (!(s > 0)) {
        throw new IllegalArgumentException("std must be positive, was " + Arrays.toString(std));
      }
    }
  }

  private static float[] channels(String key, float[] values) {
    if (values == null || values.length != 3) {
      throw new IllegalArgumentException(key + " must have 3 values (R, G, B)");
    }
    return values.clone();
  }

  @Override
  public float[] mean() {
    return mean.clone();
  }

  @Override
  public float[] std() {
    return std.clone();
  }

  /**
   * Reads the preprocessing from a manifest section.
   *
   * @param declaredHeight the height the graph declares, or 0 when it is dynamic
   * @param declaredWidth likewise
   * @param defaultMean when the section has no {@code mean}; {@code defaultStd} likewise
   * @throws ModelException naming the manifest key of a bad or missing value
   */
  public static ImagePreprocess read(
      ModelParameters p,
      int declaredHeight,
      int declaredWidth,
      float[] defaultMean,
      float[] defaultStd) {
    int[] size = size(p, declaredHeight, declaredWidth);
    Resample resample = resample(p);
    double rescale = p.number("rescale").orElse(DEFAULT_RESCALE);
    float[] mean = p.numbers("mean").map(v -> floats(p, "mean", v)).orElse(defaultMean);
    float[] std = p.numbers("std").map(v -> floats(p, "std", v)).orElse(defaultStd);
    try {
      return new ImagePreprocess(size[0], size[1], resample, rescale, mean, std);
    } catch (IllegalArgumentException e) {
      throw new ModelException(p.where() + ": " + e.getMessage());
    }
  }

  private static int[] size(ModelParameters p, int declaredHeight, int declaredWidth) {
    if (p.has("size") && p.values().get("size") instanceof List<?>) {
      List<Integer> hw = p.integers("size").orElseThrow();
      if (hw.size() != 2) {
        throw new ModelException(p.where() + ".size: expected [height, width], was " + hw);
      }
      return new int[] {hw.get(0), hw.get(1)};
    }
    if (p.has("size")) {
      int side = p.integer("size").orElseThrow();
      return new int[] {side, side};
    }
    if (declaredHeight > 0 && declaredWidth > 0) {
      return new int[] {declaredHeight, declaredWidth};
    }
    throw new ModelException(
        p.where() + ".size: missing, and the graph declares no fixed image size");
  }

  private static Resample resample(ModelParameters p) {
    if (!p.has("resample")) {
      return Resample.BICUBIC;
    }
    Object value = p.values().get("resample");
    java.util.Optional<Resample> found =
        value instanceof String name
            ? Resample.of(name)
            : Resample.ofPilCode(p.integer("resample").orElseThrow());
    return found.orElseThrow(
        () ->
            new ModelException(
                p.where() + ".resample: expected " + Resample.known() + ", was '" + value + "'"));
  }

  private static float[] floats(ModelParameters p, String key, List<Double> values) {
    if (values.size() != 3) {
      throw new ModelException(
          p.where() + "." + key + ": expected 3 numbers (R, G, B), was " + values);
    }
    float[] out = new float[3];
    for (int i = 0; i < 3; i++) {
      out[i] = values.get(i).floatValue();
    }
    return out;
  }

  /** The image as normalised planes [3, height, width]. */
  public float[] pixels(BufferedImage image) {
    float[] planes = Resize.squash(image, width, height, resample);
    int plane = width * height;
    for (int c = 0; c < 3; c++) {
      float m = mean[c];
      float s = std[c];
      for (int i = c * plane; i < (c + 1) * plane; i++) {
        planes[i] = (float) ((planes[i] * rescale - m) / s);
      }
    }
    return planes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImagePreprocess other
        && height == other.height
        && width == other.width
        && resample == other.resample
        && rescale == other.rescale
        && Arrays.equals(mean, other.mean)
        && Arrays.equals(std, other.std);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(new Object[] {height, width, resample, rescale})
        + 31 * Arrays.hashCode(mean)
        + 961 * Arrays.hashCode(std);
  }

  @Override
  public String toString() {
    return "ImagePreprocess["
        + height
        + "x"
        + width
        + ", "
        + resample
        + ", rescale "
        + rescale
        + ", mean "
        + Arrays.toString(mean)
        + ", std "
        + Arrays.toString(std)
        + "]";
  }
}
