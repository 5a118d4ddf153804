package dev.imajin.aesthetic.impl;

import dev.imajin.inference.image.ImagePreprocess;
import dev.imajin.inference.image.ImageTensors;
import dev.imajin.inference.image.Resize;
import dev.imajin.inference.model.ModelEntry;
import dev.imajin.inference.model.ModelException;
import dev.imajin.inference.model.ModelParameters;
import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * What an image-reward model's manifest says about its inputs and its score (docs/aesthetic.md).
 *
 * <p>{@code preprocess}: the keys {@link ImagePreprocess} reads ({@code size}, {@code resample},
 * {@code rescale}, {@code mean}, {@code std}; mean and std default to CLIP's, as ImageReward uses),
 * plus an optional {@code crop_size} (a number or {@code [height, width]}): then {@code size} (a
 * number, or {@code {shortest_edge: n}}) is the shorter side the image is resized to, keeping its
 * aspect, before the centre is cropped, as torchvision's {@code Resize(n)} + {@code CenterCrop};
 * {@code max_length} and {@code pad_token_id} (default: the graph's fixed length, else the
 * tokenizer's, and the tokenizer's pad). {@code postprocess}: {@code mean} and {@code std}, so that
 * reward = (raw - mean) / std (default 0 and 1).
 *
 * @param image the squash, or the crop, and the normalisation; its size is the tensor's
 * @param shortestEdge when positive, resize the shorter side to it, then crop the centre
 */
record RewardSpec(
    ImagePreprocess image,
    int shortestEdge,
    OptionalInt maxLength,
    OptionalInt padTokenId,
    double rewardMean,
    double rewardStd) {

  /** CLIP's (and ImageReward's) per-channel mean and standard deviation. */
  static final float[] CLIP_MEAN = {0.48145466f, 0.4578275f, 0.40821073f};

  static final float[] CLIP_STD = {0.26862954f, 0.26130258f, 0.27577711f};

  /**
   * Reads a manifest's {@code preprocess} and {@code postprocess}.
   *
   * @param declaredHeight the image height the graph fixes, or 0; used when there is no {@code
   *     size}; {@code declaredWidth} likewise
   * @throws ModelException naming the manifest and key of the first bad value
   */
  static RewardSpec of(ModelEntry entry, int declaredHeight, int declaredWidth) {
    ModelParameters pre =
        entry
            .manifest()
            .orElseThrow(
                () ->
                    new ModelException(
                        "model '" + entry.id() + "' (" + entry.folder() + ") has no manifest"))
            .preprocess();
    ModelParameters post = entry.manifest().get().postprocess();
    int shortestEdge = 0;
    ModelParameters squash = pre;
    if (pre.has("crop_size")) {
      shortestEdge = shortestEdge(pre);
      squash = with(pre, "size", sides(pre, "crop_size"));
    } else if (pre.values().get("size") instanceof Map<?, ?>) {
      squash = with(pre, "size", sides(pre, "size"));
    }
    return new RewardSpec(
        ImagePreprocess.read(squash, declaredHeight, declaredWidth, CLIP_MEAN, CLIP_STD),
        shortestEdge,
        atLeast(pre, "max_length", 2),
        atLeast(pre, "pad_token_id", 0),
        post.number("mean").orElse(0.0),
        positive(post, "std", post.number("std").orElse(1.0)));
  }

  int width() {
    return image.width();
  }

  int height() {
    return image.height();
  }

  /** The image as normalised planes {@code [3, height, width]}. */
  float[] pixels(BufferedImage rgb) {
    if (shortestEdge == 0) {
      return image.pixels(rgb);
    }
    int[] size = ImageTensors.shortestEdgeSize(rgb.getWidth(), rgb.getHeight(), shortestEdge);
    float[] resized = Resize.squash(rgb, size[0], size[1], image.resample());
    float[] planes = ImageTensors.centerCrop(resized, size[0], size[1], width(), height());
    ImageTensors.normalize(planes, image.rescale(), image.mean(), image.std());
    return planes;
  }

  /** The model's reward for a raw score: {@code (raw - mean) / std}. */
  double reward(double raw) {
    return (raw - rewardMean) / rewardStd;
  }

  /** The shortest edge of a cropping manifest: {@code size: n} or {@code {shortest_edge: n}}. */
  private static int shortestEdge(ModelParameters pre) {
    Object size = pre.values().get("size");
    OptionalInt edge =
        size instanceof Map<?, ?>
            ? atLeast(pre.section("size").orElseThrow(), "shortest_edge", 1)
            : size instanceof Number ? atLeast(pre, "size", 1) : OptionalInt.empty();
    if (edge.isEmpty()) {
      throw new ModelException(
          pre.where()
              + ".size: with crop_size, give the shortest edge (a number or {shortest_edge: n})");
    }
    return edge.getAsInt();
  }

  /** A size as {@code [height, width]}: from a number, a list or {@code {height, width}}. */
  private static List<Integer> sides(ModelParameters pre, String key) {
    Object value = pre.values().get(key);
    if (value instanceof Map<?, ?>) {
      ModelParameters s = pre.section(key).orElseThrow();
      return List.of(
          s.integer("height").orElseThrow(() -> missing(s, "height")),
          s.integer("width").orElseThrow(() -> missing(s, "width")));
    }
    if (value instanceof List<?>) {
      return pre.integers(key).orElseThrow();
    }
    int side = pre.integer(key).orElseThrow();
    return List.of(side, side);
  }

  private static ModelException missing(ModelParameters p, String key) {
    return new ModelException(p.where() + "." + key + ": is required");
  }

  private static ModelParameters with(ModelParameters p, String key, Object value) {
    Map<String, Object> values = new LinkedHashMap<>(p.values());
    values.put(key, value);
    return new ModelParameters(p.where(), values);
  }

  private static double positive(ModelParameters p, String key, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new ModelException(p.where() + "." + key + ": must be positive, was " + value);
    }
    return value;
  }

  private static OptionalInt atLeast(ModelParameters p, String key, int min) {
    if (!p.has(key)) {
      return OptionalInt.empty();
    }
    int n = p.integer(key).orElseThrow();
    if (n < min) {
      throw new ModelException(p.where() + "." + key + ": must be at least " + min + ", was " + n);
    }
    return OptionalInt.of(n);
  }
}
