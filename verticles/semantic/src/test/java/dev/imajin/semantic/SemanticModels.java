package dev.imajin.semantic;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import dev.imajin.inference.testing.OnnxFiles;
import dev.imajin.inference.testing.OnnxGraph;
import dev.imajin.inference.testing.TokenizerFixtures;
import dev.imajin.inference.testing.TokenizerFixtures.ClipVocabulary;
import dev.imajin.inference.testing.TokenizerFixtures.Form;
import dev.imajin.inference.testing.TokenizerFixtures.Pad;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Tiny SigLIP-style dual encoders whose scores can be worked out by hand. Embeddings live in RGB
 * space: the image tower's {@code pooler_output} is the mean of {@code pixel_values} per channel
 * (after the manifest's normalisation, so a pure red image embeds as (1, -1, -1)); the text tower's
 * is the sum, over the ids, of a table row per id, where each colour word has its colour's row
 * ({@link #COLOURS}) and every other token a zero row. Both also answer {@code last_hidden_state},
 * as real exports do.
 */
final class SemanticModels {
  /** The fixture vocabulary: every word is one token. */
  static final List<String> WORDS =
      List.of(
          "a",
          "picture",
          "of",
          "photo",
          "red",
          "green",
          "blue",
          "yellow",
          "white",
          "black",
          "circle",
          "square",
          "star",
          "on",
          "background");

  static final ClipVocabulary VOCAB = ClipVocabulary.of(WORDS);

  /** The colour words' rows: their colour at [-1, 1] per channel. */
  static final Map<String, float[]> COLOURS =
      Map.of(
          "red", new float[] {1, -1, -1},
          "green", new float[] {-1, 1, -1},
          "blue", new float[] {-1, -1, 1},
          "yellow", new float[] {1, 1, -1},
          "white", new float[] {1, 1, 1},
          "black", new float[] {-1, -1, -1});

  /** exp(LOGIT_SCALE) = 10. */
  static final double LOGIT_SCALE = Math.log(10);

  static final double LOGIT_BIAS = -5;

  /** What to write; {@link #standard()} and the {@code with...} copies. */
  record Spec(
      String task,
      int imageSize,
      boolean fixedImageSize,
      int textLength,
      boolean attentionMask,
      int tableRows,
      String preprocessExtra,
      String postprocess,
      String thresholds,
      boolean jsonTokenizer) {

    static Spec standard() {
      return new Spec(
          "image-text-similarity",
          8,
          false,
          0,
          false,
          VOCAB.size(),
          "  max_length: 16\n  pad_token_id: "
              + VOCAB.eosId()
              + "\n  template: \"a picture of {}\"\n",
          "postprocess:\n  logit_scale: " + LOGIT_SCALE + "\n  logit_bias: " + LOGIT_BIAS + "\n",
          "thresholds:\n  present: 0.6\n",
          false);
    }

    Spec withTask(String value) {
      return new Spec(
          value,
          imageSize,
          fixedImageSize,
          textLength,
          attentionMask,
          tableRows,
          preprocessExtra,
          postprocess,
          thresholds,
          jsonTokenizer);
    }

    /** The image tower declares pixel_values [batch, 3, size, size]. */
    Spec withFixedImageSize() {
      return new Spec(
          task,
          imageSize,
          true,
          textLength,
          attentionMask,
          tableRows,
          preprocessExtra,
          postprocess,
          thresholds,
          jsonTokenizer);
    }

    /** The text tower declares input_ids [batch, length]. */
    Spec withTextLength(int length) {
      return new Spec(
          task,
          imageSize,
          fixedImageSize,
          length,
          attentionMask,
          tableRows,
          preprocessExtra,
          postprocess,
          thresholds,
          jsonTokenizer);
    }

    /** The text tower takes attention_mask and sums only the ids it marks. */
    Spec withAttentionMask() {
      return new Spec(
          task,
          imageSize,
          fixedImageSize,
          textLength,
          true,
          tableRows,
          preprocessExtra,
          postprocess,
          thresholds,
          jsonTokenizer);
    }

    /** A table smaller than the vocabulary: ONNX Runtime fails on the larger ids. */
    Spec withTableRows(int rows) {
      return new Spec(
          task,
          imageSize,
          fixedImageSize,
          textLength,
          attentionMask,
          rows,
          preprocessExtra,
          postprocess,
          thresholds,
          jsonTokenizer);
    }

    Spec withPreprocessExtra(String yaml) {
      return new Spec(
          task,
          imageSize,
          fixedImageSize,
          textLength,
          attentionMask,
          tableRows,
          yaml,
          postprocess,
          thresholds,
          jsonTokenizer);
    }

    Spec withPostprocess(String yaml) {
      return new Spec(
          task,
          imageSize,
          fixedImageSize,
          textLength,
          attentionMask,
          tableRows,
          preprocessExtra,
          yaml,
          thresholds,
          jsonTokenizer);
    }

    Spec withThresholds(String yaml) {
      return new Spec(
          task,
          imageSize,
          fixedImageSize,
          textLength,
          attentionMask,
          tableRows,
          preprocessExtra,
          postprocess,
          yaml,
          jsonTokenizer);
    }

    /**
     * A {@code tokenizer.json} that is not CLIP's ({@code tokenizer_format: json}): words keep
     * their fixture ids, {@code </s>} closes each text, {@code <pad>} pads.
     */
    Spec withJsonTokenizer() {
      return new Spec(
          task,
          imageSize,
          fixedImageSize,
          textLength,
          attentionMask,
          tableRows,
          preprocessExtra,
          postprocess,
          thresholds,
          true);
    }
  }

  private SemanticModels() {}

  /** Writes the model {@code id} into {@code root/id}; returns its folder. */
  static Path write(Path root, String id, Spec spec) {
    Path folder = root.resolve(id);
    try {
      Files.createDirectories(folder);
      OnnxFiles.write(vision(spec), folder.resolve("vision_model.onnx"));
      OnnxFiles.write(text(spec), folder.resolve("text_model.onnx"));
      if (spec.jsonTokenizer()) {
        Map<String, Integer> words = new HashMap<>();
        WORDS.forEach(w -> words.put(w, VOCAB.wordId(w)));
        words.put("<pad>", 0);
        words.put("</s>", 1);
        words.put("<unk>", 2);
        TokenizerFixtures.writeWordLevel(folder.resolve("tokenizer"), words);
      } else {
        VOCAB.write(folder.resolve("tokenizer"), Form.TOKENIZER_JSON, Pad.END_OF_TEXT, 77);
      }
      Files.writeString(folder.resolve("imajin-model.yaml"), manifest(id, spec));
      return folder;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String manifest(String id, Spec spec) {
    return """
        id: %s
        task: %s
        family: siglip
        license: Apache-2.0
        files:
          vision_model: {path: vision_model.onnx}
          text_model: {path: text_model.onnx}
        tokenizer: tokenizer
        preprocess:
          size: %d
          resample: bilinear
          rescale: 0.00392156862745098
          mean: [0.5, 0.5, 0.5]
          std: [0.5, 0.5, 0.5]
        %s%s%s"""
        .formatted(
            id,
            spec.task(),
            spec.imageSize(),
            spec.preprocessExtra(),
            spec.postprocess(),
            spec.thresholds());
  }

  static ModelProto vision(Spec spec) {
    OnnxGraph g = new OnnxGraph("vision_model");
    Object side = spec.fixedImageSize() ? (Object) spec.imageSize() : "height";
    Object side2 = spec.fixedImageSize() ? (Object) spec.imageSize() : "width";
    String pixels = g.input("pixel_values", DataType.FLOAT, "batch", 3, side, side2);
    String mean = g.node("ReduceMean").in(pixels).attr("axes", 2L, 3L).attr("keepdims", 0).out();
    String hidden = g.op("Unsqueeze", mean, g.longs(1));
    g.output("last_hidden_state", hidden, DataType.FLOAT, "batch", 1, 3);
    g.output("pooler_output", mean, DataType.FLOAT, "batch", 3);
    return g.model();
  }

  static ModelProto text(Spec spec) {
    OnnxGraph g = new OnnxGraph("text_model");
    Object length = spec.textLength() > 0 ? (Object) spec.textLength() : "sequence";
    String ids = g.input("input_ids", DataType.INT64, "batch", length);
    float[] table = new float[spec.tableRows() * 3];
    COLOURS.forEach(
        (word, rgb) -> {
          int id = VOCAB.wordId(word);
          if (id < spec.tableRows()) {
            System.arraycopy(rgb, 0, table, id * 3, 3);
          }
        });
    String rows = g.op("Gather", g.floats(table, spec.tableRows(), 3), ids);
    if (spec.attentionMask()) {
      String mask = g.input("attention_mask", DataType.INT64, "batch", length);
      String weights = g.op("Unsqueeze", g.cast(mask, DataType.INT64, DataType.FLOAT), g.longs(2));
      rows = g.op("Mul", rows, weights);
    }
    String pooled = g.node("ReduceSum").in(rows, g.longs(1)).attr("keepdims", 0).out();
    g.output("last_hidden_state", rows, DataType.FLOAT, "batch", length, 3);
    g.output("pooler_output", pooled, DataType.FLOAT, "batch", 3);
    return g.model();
  }

  /**
   * The logit the fixture gives an image of mean colour {@code rgb} (0..255) and a text whose
   * colour words are {@code colourWords}.
   */
  static double logit(int[] rgb, String... colourWords) {
    float[] image = new float[3];
    for (int c = 0; c < 3; c++) {
      image[c] = (float) ((rgb[c] * 0.00392156862745098 - 0.5) / 0.5);
    }
    float[] text = new float[3];
    for (String word : colourWords) {
      for (int c = 0; c < 3; c++) {
        text[c] += COLOURS.get(word)[c];
      }
    }
    double dot = 0;
    double ii = 0;
    double tt = 0;
    for (int c = 0; c < 3; c++) {
      dot += image[c] * text[c];
      ii += image[c] * image[c];
      tt += text[c] * text[c];
    }
    return dot / Math.sqrt(ii * tt) * Math.exp(LOGIT_SCALE) + LOGIT_BIAS;
  }

  static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }
}
