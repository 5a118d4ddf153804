package dev.imajin.aesthetic.impl;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.imajin.inference.model.ModelEntry;
import dev.imajin.inference.model.ModelException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The inputs and output of a reward model's {@code model} graph, read from its session: the image
 * ({@code pixel_values}, else the one rank-4 float input), the text ({@code input_ids}, else the
 * one integer input besides the mask), the optional {@code attention_mask}, and the score ({@code
 * score}, {@code reward}, {@code rewards} or {@code logits}, else the one output), one per batch
 * row. Sizes the graph fixes must agree with the manifest.
 *
 * @param batch the batch size the graph fixes, or 0 when any size runs
 * @param maxLength the text length: the manifest's, else the graph's fixed one, else the
 *     tokenizer's
 */
record RewardGraph(String pixels, String ids, String mask, String score, int batch, int maxLength) {

  private static final List<String> SCORE_NAMES = List.of("score", "reward", "rewards", "logits");

  /** A graph checked against its manifest, with the manifest's parameters. */
  record Checked(RewardGraph graph, RewardSpec spec) {}

  /**
   * Reads the session's inputs and output and the manifest's parameters (an image size the manifest
   * leaves out is the graph's), and checks that they agree.
   *
   * @param file the graph's file, for messages
   * @param tokenizerLength the tokenizer's {@code model_max_length}
   * @throws ModelException naming the file, or the manifest key, and what does not fit
   */
  static Checked read(OrtSession session, String file, ModelEntry entry, int tokenizerLength)
      throws OrtException {
    Map<String, NodeInfo> inputs = session.getInputInfo();
    String pixels =
        pick(file, "image input", inputs, "pixel_values", i -> isFloat(i) && rank(i) == 4);
    String mask = inputs.containsKey("attention_mask") ? "attention_mask" : null;
    Map<String, NodeInfo> text = new LinkedHashMap<>(inputs);
    text.remove(pixels);
    if (mask != null) {
      text.remove(mask);
    }
    String ids = pick(file, "text input", text, "input_ids", i -> isInteger(i) && rank(i) == 2);
    List<String> unknown = new ArrayList<>(inputs.keySet());
    unknown.removeAll(Arrays.asList(pixels, ids, mask));
    if (!unknown.isEmpty()) {
      throw new ModelException(
          file
              + ": inputs "
              + unknown
              + " are not fed by imajin (it feeds pixel_values, input_ids and attention_mask)");
    }
    String score = score(file, session.getOutputInfo());
    long[] image = shape(inputs.get(pixels));
    RewardSpec spec =
        RewardSpec.of(entry, (int) Math.max(0, image[2]), (int) Math.max(0, image[3]));
    checkSide(file, pixels, image[2], spec.height(), "height");
    checkSide(file, pixels, image[3], spec.width(), "width");
    if (image[1] > 0 && image[1] != 3) {
      throw new ModelException(file + ": " + pixels + " takes " + image[1] + " channels, not 3");
    }
    long fixedLength = shape(inputs.get(ids))[1];
    int maxLength = spec.maxLength().orElse(fixedLength > 0 ? (int) fixedLength : tokenizerLength);
    if (fixedLength > 0 && fixedLength != maxLength) {
      throw new ModelException(
          file
              + ": "
              + ids
              + " is fixed at "
              + fixedLength
              + " tokens, the manifest's preprocess.max_length says "
              + maxLength);
    }
    int batch = (int) Math.max(0, image[0]);
    return new Checked(new RewardGraph(pixels, ids, mask, score, batch, maxLength), spec);
  }

  private static String pick(
      String file,
      String what,
      Map<String, NodeInfo> inputs,
      String name,
      java.util.function.Predicate<NodeInfo> fits) {
    NodeInfo named = inputs.get(name);
    List<String> fitting = inputs.values().stream().filter(fits).map(NodeInfo::getName).toList();
    if (named != null) {
      if (!fits.test(named)) {
        throw new ModelException(file + ": " + name + " is " + describe(named));
      }
      return name;
    }
    if (fitting.size() == 1) {
      return fitting.get(0);
    }
    throw new ModelException(
        file
            + ": no "
            + what
            + " named "
            + name
            + " and "
            + fitting.size()
            + " candidates among "
            + inputs.keySet());
  }

  private static String score(String file, Map<String, NodeInfo> outputs) {
    String name =
        SCORE_NAMES.stream()
            .filter(outputs::containsKey)
            .findFirst()
            .orElse(outputs.size() == 1 ? outputs.keySet().iterator().next() : null);
    if (name == null) {
      throw new ModelException(
          file + ": no output named " + SCORE_NAMES + " among " + outputs.keySet());
    }
    NodeInfo out = outputs.get(name);
    long[] shape = shape(out);
    if (!isFloat(out)
        || shape.length < 1
        || shape.length > 2
        || (shape.length == 2 && shape[1] > 1)) {
      throw new ModelException(
          file
              + ": output "
              + name
              + " is "
              + describe(out)
              + ", expected one score per image"
              + " ([batch] or [batch, 1], float)");
    }
    return name;
  }

  private static void checkSide(String file, String input, long declared, int wanted, String side) {
    if (declared > 0 && declared != wanted) {
      throw new ModelException(
          file
              + ": "
              + input
              + " is fixed at "
              + side
              + " "
              + declared
              + ", the manifest's preprocess gives "
              + wanted);
    }
  }

  private static long[] shape(NodeInfo node) {
    return ((TensorInfo) node.getInfo()).getShape();
  }

  private static int rank(NodeInfo node) {
    return node.getInfo() instanceof TensorInfo t ? t.getShape().length : -1;
  }

  private static boolean isFloat(NodeInfo node) {
    return node.getInfo() instanceof TensorInfo t
        && (t.type == OnnxJavaType.FLOAT
            || t.type == OnnxJavaType.FLOAT16
            || t.type == OnnxJavaType.DOUBLE);
  }

  private static boolean isInteger(NodeInfo node) {
    return node.getInfo() instanceof TensorInfo t
        && (t.type == OnnxJavaType.INT64 || t.type == OnnxJavaType.INT32);
  }

  private static String describe(NodeInfo node) {
    return node.getInfo() instanceof TensorInfo t
        ? t.type + " " + Arrays.toString(t.getShape())
        : node.getInfo().toString();
  }
}
