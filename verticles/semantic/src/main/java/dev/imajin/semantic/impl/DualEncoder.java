package dev.imajin.semantic.impl;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.imajin.inference.image.ImagePreprocess;
import dev.imajin.inference.model.ModelException;
import dev.imajin.inference.onnx.Tensors;
import dev.imajin.inference.runtime.LoadedModel;
import dev.imajin.inference.text.SequenceTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A loaded dual encoder's two towers (MODELS.md §4): the image tower takes {@code pixel_values} [B,
 * 3, H, W] and the text tower {@code input_ids} [B, L] (plus {@code attention_mask} when it
 * declares one: 1 from BOS to EOS, 0 on padding). Each tower's embedding is its projected output
 * when it has one ({@code image_embeds}, {@code text_embeds}: CLIP exports with projection), else
 * {@code pooler_output} (SigLIP), else its first rank-2 output. Names, ranks and fixed sizes are
 * read from the sessions; a manifest that disagrees with them is refused when the model loads.
 *
 * <p>The encode methods block and run on the model's device pool; they are thread-safe.
 */
final class DualEncoder {
  private static final String PIXEL_VALUES = "pixel_values";
  private static final String INPUT_IDS = "input_ids";
  private static final String ATTENTION_MASK = "attention_mask";

  private final String modelId;
  private final OrtSession vision;
  private final OrtSession text;
  private final NodeInfo pixels;
  private final String imageOutput;
  private final NodeInfo ids;
  private final NodeInfo mask;
  private final String textOutput;
  private final boolean textBatches;
  private final ImagePreprocess preprocess;
  private final SequenceTokenizer tokenizer;
  private final int length;
  private final int pad;

  private DualEncoder(
      LoadedModel model, Profile profile, SequenceTokenizer tokenizer, float[] mean, float[] std)
      throws OrtException {
    this.modelId = model.id();
    this.vision = model.session(Profile.VISION);
    this.text = model.session(Profile.TEXT);
    this.pixels = input(Profile.VISION, vision, PIXEL_VALUES, Set.of());
    this.ids = input(Profile.TEXT, text, INPUT_IDS, Set.of(ATTENTION_MASK));
    this.mask = text.getInputInfo().get(ATTENTION_MASK);
    this.imageOutput = embedding(Profile.VISION, vision, "image_embeds");
    this.textOutput = embedding(Profile.TEXT, text, "text_embeds");
    long[] pixelShape = declared(Profile.VISION, pixels, 4);
    if (pixelShape[1] > 0 && pixelShape[1] != 3) {
      throw refused(Profile.VISION + " declares " + pixelShape[1] + " channels; imajin feeds RGB");
    }
    this.preprocess =
        ImagePreprocess.read(
            profile.preprocess(), (int) pixelShape[2], (int) pixelShape[3], mean, std);
    if ((pixelShape[2] > 0 && pixelShape[2] != preprocess.height())
        || (pixelShape[3] > 0 && pixelShape[3] != preprocess.width())) {
      throw refused(
          profile.preprocess().where()
              + ".size: "
              + preprocess.height()
              + "x"
              + preprocess.width()
              + ", but "
              + Profile.VISION
              + " declares "
              + Arrays.toString(pixelShape));
    }
    long[] idShape = declared(Profile.TEXT, ids, 2);
    this.tokenizer = tokenizer;
    this.length = length(profile, idShape[1], tokenizer);
    this.pad = pad(profile, tokenizer);
    this.textBatches = idShape[0] <= 0;
  }

  /**
   * The towers of a loaded model.
   *
   * @param mean the image mean when the manifest gives none; {@code std} likewise
   * @throws ModelException when the graphs and the manifest disagree, naming both
   */
  static DualEncoder of(
      LoadedModel model, Profile profile, SequenceTokenizer tokenizer, float[] mean, float[] std) {
    try {
      return new DualEncoder(model, profile, tokenizer, mean, std);
    } catch (OrtException e) {
      throw new ModelException("model '" + model.id() + "': " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new ModelException("model '" + model.id() + "': " + e.getMessage(), e);
    }
  }

  ImagePreprocess preprocess() {
    return preprocess;
  }

  /** The ids the text tower gets for {@code text}: exactly the sequence length. */
  SequenceTokenizer.Sequence ids(String value) {
    return tokenizer.sequence(value, length, pad);
  }

  /** The image embedding of preprocessed planes [3, H, W]. */
  float[] image(float[] planes) throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    long[] shape = {1, 3, preprocess.height(), preprocess.width()};
    try (OnnxTensor in = Tensors.of(env, pixels, planes, shape);
        OrtSession.Result out = vision.run(Map.of(pixels.getName(), in), Set.of(imageOutput))) {
      return rows(Profile.VISION, tensor(out, imageOutput), 1).get(0);
    }
  }

  /** The text embeddings of {@code texts}, in order; one batch when the graph allows it. */
  List<float[]> texts(List<String> texts) throws OrtException {
    if (textBatches) {
      return textBatch(texts);
    }
    List<float[]> out = new ArrayList<>(texts.size());
    for (String t : texts) {
      out.addAll(textBatch(List.of(t)));
    }
    return out;
  }

  private List<float[]> textBatch(List<String> texts) throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    int n = texts.size();
    long[] idValues = new long[n * length];
    long[] maskValues = new long[n * length];
    for (int b = 0; b < n; b++) {
      SequenceTokenizer.Sequence row = ids(texts.get(b));
      for (int i = 0; i < length; i++) {
        idValues[b * length + i] = row.ids()[i];
        maskValues[b * length + i] = i < row.used() ? 1 : 0;
      }
    }
    long[] shape = {n, length};
    Map<String, OnnxTensor> inputs = new HashMap<>();
    try {
      inputs.put(ids.getName(), Tensors.of(env, ids, idValues, shape));
      if (mask != null) {
        inputs.put(mask.getName(), Tensors.of(env, mask, maskValues, shape));
      }
      try (OrtSession.Result out = text.run(inputs, Set.of(textOutput))) {
        return rows(Profile.TEXT, tensor(out, textOutput), n);
      }
    } finally {
      inputs.values().forEach(OnnxTensor::close);
    }
  }

  private List<float[]> rows(String tower, OnnxTensor tensor, int n) {
    long[] shape = tensor.getInfo().getShape();
    if (shape.length != 2 || shape[0] != n || shape[1] < 1) {
      throw new IllegalStateException(
          "model '"
              + modelId
              + "': "
              + tower
              + " answered an embedding of shape "
              + Arrays.toString(shape)
              + ", expected ["
              + n
              + ", D]");
    }
    float[] all = Tensors.floats(tensor);
    int d = (int) shape[1];
    List<float[]> out = new ArrayList<>(n);
    for (int b = 0; b < n; b++) {
      out.add(Arrays.copyOfRange(all, b * d, (b + 1) * d));
    }
    return out;
  }

  private static OnnxTensor tensor(OrtSession.Result result, String name) {
    OnnxValue value = result.get(name).orElseThrow();
    if (value instanceof OnnxTensor t) {
      return t;
    }
    throw new IllegalStateException(name + " is not a tensor");
  }

  private static NodeInfo input(String tower, OrtSession session, String name, Set<String> optional)
      throws OrtException {
    Map<String, NodeInfo> inputs = session.getInputInfo();
    NodeInfo main = inputs.get(name);
    if (main == null && inputs.size() == 1) {
      main = inputs.values().iterator().next();
    }
    for (String other : inputs.keySet()) {
      if (main == null || (!other.equals(main.getName()) && !optional.contains(other))) {
        throw refused(
            tower + " takes " + inputs.keySet() + "; imajin feeds " + name + " " + optional);
      }
    }
    return main;
  }

  private static String embedding(String tower, OrtSession session, String projected)
      throws OrtException {
    Map<String, NodeInfo> outputs = session.getOutputInfo();
    for (String name : List.of(projected, "pooler_output")) {
      if (outputs.containsKey(name)) {
        return name;
      }
    }
    for (NodeInfo info : outputs.values()) {
      if (Tensors.info(info).getShape().length == 2) {
        return info.getName();
      }
    }
    throw refused(
        tower
            + " has no embedding output ("
            + projected
            + ", pooler_output or any [B, D]); outputs: "
            + outputs.keySet());
  }

  private static long[] declared(String tower, NodeInfo input, int rank) {
    long[] shape = Tensors.info(input).getShape();
    if (shape.length != rank) {
      throw refused(
          tower
              + " declares "
              + input.getName()
              + " with rank "
              + shape.length
              + " "
              + Arrays.toString(shape)
              + ", expected "
              + rank);
    }
    if (shape[0] > 1) {
      throw refused(tower + " declares a fixed batch of " + shape[0] + "; imajin needs 1 or any");
    }
    return shape;
  }

  private static int length(Profile profile, long declared, SequenceTokenizer tokenizer) {
    if (profile.maxLength() > 0) {
      if (declared > 0 && declared != profile.maxLength()) {
        throw refused(
            profile.preprocess().where()
                + ".max_length is "
                + profile.maxLength()
                + ", but "
                + Profile.TEXT
                + " declares input_ids of length "
                + declared);
      }
      return profile.maxLength();
    }
    if (declared > 0) {
      return (int) declared;
    }
    if (tokenizer.maxLength() > 0) {
      return tokenizer.maxLength();
    }
    throw refused(
        profile.preprocess().where()
            + ".max_length: missing, and neither "
            + Profile.TEXT
            + " nor the tokenizer declares a length");
  }

  private static int pad(Profile profile, SequenceTokenizer tokenizer) {
    if (profile.padId() >= 0) {
      return profile.padId();
    }
    if (tokenizer.padId() >= 0) {
      return tokenizer.padId();
    }
    throw refused(
        profile.preprocess().where() + ".pad_token_id: missing, and the tokenizer declares no pad");
  }

  private static IllegalArgumentException refused(String why) {
    return new IllegalArgumentException(why);
  }
}
