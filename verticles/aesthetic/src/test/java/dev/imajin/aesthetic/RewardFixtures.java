package dev.imajin.aesthetic;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import dev.imajin.inference.testing.OnnxFiles;
import dev.imajin.inference.testing.OnnxGraph;
import dev.imajin.inference.testing.TokenizerFixtures;
import dev.imajin.inference.testing.TokenizerFixtures.ClipVocabulary;
import dev.imajin.inference.testing.TokenizerFixtures.Form;
import dev.imajin.inference.testing.TokenizerFixtures.Pad;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Tiny image-reward models with the ImageReward export's interface ({@code pixel_values}, {@code
 * input_ids}, {@code attention_mask} to {@code score [B, 1]}) whose raw score is a known function
 * of its inputs:
 *
 * <pre>
 * raw = std(pixel_values of the image) + RED_WEIGHT * count(ids == "red" where mask = 1)
 *       + LENGTH_WEIGHT * sum(mask)
 * </pre>
 *
 * so contrast, a word of the prompt and the attention mask each move the score by a computable
 * amount. The manifests normalise pixels with mean = std = 0.5 (0 to -1, 255 to 1) and the reward
 * with {@link #REWARD_MEAN} and {@link #REWARD_STD}.
 */
final class RewardFixtures {
  static final float RED_WEIGHT = 1f;
  static final float LENGTH_WEIGHT = 0.01f;
  static final double REWARD_MEAN = 0.5;
  static final double REWARD_STD = 2;

  /** The image side the manifests give. */
  static final int SIZE = 16;

  /** The text length the manifests give. */
  static final int MAX_LENGTH = 12;

  static final ClipVocabulary VOCAB = TokenizerFixtures.clipVocabulary();

  private RewardFixtures() {}

  /** How the graph declares its inputs. */
  record Shape(Object batch, Object side, Object length) {
    static final Shape DYNAMIC = new Shape("batch", "height", "sequence");

    /** ONNX Runtime exports often fix the batch at 1. */
    static final Shape BATCH_OF_ONE = new Shape(1, SIZE, MAX_LENGTH);
  }

  /** The reward graph; {@code logOfContrast} makes a flat image score -infinity. */
  static OnnxGraph graph(Shape shape, boolean logOfContrast) {
    OnnxGraph g = new OnnxGraph("reward");
    String pixels =
        g.input("pixel_values", DataType.FLOAT, shape.batch(), 3, shape.side(), shape.side());
    String ids = g.input("input_ids", DataType.INT64, shape.batch(), shape.length());
    String mask = g.input("attention_mask", DataType.INT64, shape.batch(), shape.length());
    String mean =
        g.node("ReduceMean").in(pixels).attr("axes", 1L, 2L, 3L).attr("keepdims", 1L).out();
    String diff = g.op("Sub", pixels, mean);
    String variance =
        g.node("ReduceMean")
            .in(g.op("Mul", diff, diff))
            .attr("axes", 1L, 2L, 3L)
            .attr("keepdims", 0L)
            .out();
    String contrast = g.op("Sqrt", variance);
    if (logOfContrast) {
      contrast = g.op("Log", contrast);
    }
    String maskF = g.cast(mask, DataType.INT64, DataType.FLOAT);
    String isRed =
        g.cast(
            g.op("Equal", ids, g.scalarInt64(VOCAB.wordId("red"))), DataType.BOOL, DataType.FLOAT);
    String red = sum(g, g.op("Mul", isRed, maskF));
    String length = sum(g, maskF);
    String raw =
        g.op(
            "Add",
            g.op("Add", contrast, g.op("Mul", red, g.scalar(RED_WEIGHT))),
            g.op("Mul", length, g.scalar(LENGTH_WEIGHT)));
    g.output("score", g.op("Unsqueeze", raw, g.longs(1)), DataType.FLOAT, shape.batch(), 1);
    return g;
  }

  private static String sum(OnnxGraph g, String rows) {
    return g.node("ReduceSum").in(rows, g.longs(1)).attr("keepdims", 0L).out();
  }

  /** Writes a reward model folder {@code root/folder} with id {@code id}. */
  static Path write(Path root, String folder, String id, Shape shape) throws IOException {
    return write(root, folder, id, shape, false, manifestPreprocess(SIZE));
  }

  static Path write(
      Path root, String folder, String id, Shape shape, boolean logOfContrast, String preprocess)
      throws IOException {
    Path dir = root.resolve(folder);
    OnnxFiles.write(graph(shape, logOfContrast).model(), dir.resolve("reward.onnx"));
    VOCAB.write(dir.resolve("tokenizer"), Form.TOKENIZER_JSON, Pad.END_OF_TEXT, 77);
    Files.writeString(
        dir.resolve("imajin-model.yaml"),
        """
        id: %s
        task: image-reward
        family: image-reward
        license: Apache-2.0
        files:
          model: {path: reward.onnx}
        tokenizer: tokenizer
        preprocess:
        %s
        postprocess:
          mean: %s
          std: %s
        """
            .formatted(id, preprocess.indent(2).stripTrailing(), REWARD_MEAN, REWARD_STD));
    return dir;
  }

  /** The starter pack's preprocessing at side {@code size}, with mean = std = 0.5. */
  static String manifestPreprocess(int size) {
    return """
        size: %d
        resample: bicubic
        rescale: 0.00392156862745098
        mean: [0.5, 0.5, 0.5]
        std: [0.5, 0.5, 0.5]
        max_length: %d
        pad_token_id: %d
        """
        .formatted(size, MAX_LENGTH, VOCAB.eosId());
  }

  /** Writes a folder of another task (an image classifier) under {@code root}. */
  static void writeClassifier(Path root, String id) throws IOException {
    Path dir = root.resolve(id);
    OnnxGraph g = new OnnxGraph("classifier");
    String pixels = g.input("pixel_values", DataType.FLOAT, "batch", 3, SIZE, SIZE);
    g.output(
        "logits",
        g.node("ReduceMean").in(pixels).attr("axes", 2L, 3L).attr("keepdims", 0L).out(),
        DataType.FLOAT,
        "batch",
        3);
    OnnxFiles.write(g.model(), dir.resolve("model.onnx"));
    Files.writeString(
        dir.resolve("imajin-model.yaml"),
        """
        id: %s
        task: image-classification
        family: vit
        license: Apache-2.0
        files:
          model: {path: model.onnx}
        """
            .formatted(id));
  }

  /**
   * The raw score the graph gives an image already at {@link #SIZE} (so resizing leaves it as it
   * is) for a prompt of {@code tokens} words, {@code reds} of them "red": BOS and EOS count in the
   * mask.
   */
  static double expectedReward(BufferedImage image, int tokens, int reds) {
    double contrast = contrast(image);
    double raw = contrast + RED_WEIGHT * reds + LENGTH_WEIGHT * (tokens + 2);
    return (raw - REWARD_MEAN) / REWARD_STD;
  }

  /** The population standard deviation of the image's normalised channel values. */
  static double contrast(BufferedImage image) {
    double[] values = new double[3 * image.getWidth() * image.getHeight()];
    int n = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int p = image.getRGB(x, y);
        for (int shift = 16; shift >= 0; shift -= 8) {
          values[n++] = (((p >> shift) & 0xff) / 255.0 - 0.5) / 0.5;
        }
      }
    }
    double mean = java.util.Arrays.stream(values).average().orElseThrow();
    return Math.sqrt(java.util.Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum() / n);
  }
}
