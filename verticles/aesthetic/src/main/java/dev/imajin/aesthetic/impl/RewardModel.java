package dev.imajin.aesthetic.impl;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.imajin.contracts.ImajinException;
import dev.imajin.inference.model.ModelEntry;
import dev.imajin.inference.model.ModelException;
import dev.imajin.inference.onnx.Tensors;
import dev.imajin.inference.runtime.HostedModels;
import dev.imajin.inference.runtime.LoadedModel;
import dev.imajin.inference.runtime.ModelRecipe;
import dev.imajin.inference.text.ClipTokenizer;
import dev.imajin.inference.text.Tokenizers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A loaded image-reward model with what scoring needs: its manifest's parameters, its graph's
 * inputs and output, and its tokenizer.
 */
record RewardModel(
    LoadedModel loaded, RewardSpec spec, RewardGraph graph, ClipTokenizer tokenizer) {

  /** The role of the graph in the manifest's {@code files}. */
  static final String COMPONENT = HostedModels.COMPONENT;

  /**
   * How a reward model loads under {@link HostedModels}: its tokenizer is read first (kept across
   * reloads while its folder stays the same; a model that names none, or one that cannot be read,
   * answers 422), then its graph opens and its inputs and output are checked against the manifest
   * (422 naming the file).
   */
  static ModelRecipe<ClipTokenizer, RewardModel> recipe(Tokenizers<Path, ClipTokenizer> kept) {
    return new ModelRecipe<>(
        List.of(COMPONENT),
        entry -> tokenizer(kept, entry),
        (loaded, entry, tokenizer) -> {
          String file = entry.requireFile(COMPONENT).path().toString();
          RewardGraph.Checked checked =
              RewardGraph.read(loaded.session(COMPONENT), file, entry, tokenizer.maxLength());
          return new RewardModel(loaded, checked.spec(), checked.graph(), tokenizer);
        });
  }

  /** The tokenizer the manifest names, read or reused; blocking. */
  private static ClipTokenizer tokenizer(Tokenizers<Path, ClipTokenizer> kept, ModelEntry entry) {
    Path folder =
        entry
            .tokenizer()
            .map(t -> Files.isRegularFile(t) ? t.getParent() : t)
            .orElseThrow(
                () ->
                    new ModelException(
                        "model '"
                            + entry.id()
                            + "' ("
                            + entry.folder()
                            + ") names no tokenizer; an image-reward model needs one"));
    try {
      return kept.get(entry.id(), folder, ClipTokenizer::load);
    } catch (IllegalArgumentException e) {
      throw ImajinException.unprocessable(
          "model '" + entry.id() + "': the tokenizer cannot be read: " + e.getMessage());
    }
  }

  String id() {
    return loaded.id();
  }

  /** The prompt as the graph's {@code input_ids} and {@code attention_mask}. */
  RewardText text(String prompt) {
    int pad = spec.padTokenId().orElse(tokenizer.padId());
    return RewardText.of(tokenizer.encode(prompt, graph.maxLength(), pad), tokenizer.eosId(), pad);
  }

  /**
   * The normalised rewards of images (each {@code [3, H, W]} from {@link RewardSpec#pixels}) for
   * one prompt, in order; a graph with a fixed batch size runs in chunks of it. Blocking: run it on
   * the device's pool.
   *
   * @throws IllegalStateException when the graph answers a wrong count or a non-finite score
   */
  double[] rewards(List<float[]> images, String prompt) throws OrtException {
    RewardText text = text(prompt);
    int n = images.size();
    int chunk = graph.batch() > 0 ? graph.batch() : n;
    double[] rewards = new double[n];
    for (int start = 0; start < n; start += chunk) {
      int rows = graph.batch() > 0 ? graph.batch() : Math.min(chunk, n - start);
      float[] raw = run(images, start, rows, text);
      for (int i = 0; i < rows && start + i < n; i++) {
        double reward = spec.reward(raw[i]);
        if (!Double.isFinite(reward)) {
          throw new IllegalStateException(
              "model " + id() + " gave a non-finite score (" + raw[i] + ")");
        }
        rewards[start + i] = reward;
      }
    }
    return rewards;
  }

  /** One batch of {@code rows} images from {@code start}; rows past the end repeat the last. */
  private float[] run(List<float[]> images, int start, int rows, RewardText text)
      throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    OrtSession session = loaded.session(COMPONENT);
    int plane = 3 * spec.height() * spec.width();
    float[] pixels = new float[rows * plane];
    int length = text.ids().length;
    long[] ids = new long[rows * length];
    long[] mask = new long[rows * length];
    for (int r = 0; r < rows; r++) {
      float[] image = images.get(Math.min(start + r, images.size() - 1));
      System.arraycopy(image, 0, pixels, r * plane, plane);
      System.arraycopy(text.ids(), 0, ids, r * length, length);
      System.arraycopy(text.mask(), 0, mask, r * length, length);
    }
    Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
    try {
      long[] textShape = {rows, length};
      inputs.put(
          graph.pixels(),
          Tensors.of(
              env,
              loaded.input(COMPONENT, graph.pixels()),
              pixels,
              new long[] {rows, 3, spec.height(), spec.width()}));
      inputs.put(
          graph.ids(), Tensors.of(env, loaded.input(COMPONENT, graph.ids()), ids, textShape));
      if (graph.mask() != null) {
        inputs.put(
            graph.mask(), Tensors.of(env, loaded.input(COMPONENT, graph.mask()), mask, textShape));
      }
      try (OrtSession.Result result = session.run(inputs, java.util.Set.of(graph.score()))) {
        float[] scores = Tensors.floats((OnnxTensor) result.get(0));
        if (scores.length != rows) {
          throw new IllegalStateException(
              "model " + id() + " gave " + scores.length + " scores for " + rows + " images");
        }
        return scores;
      }
    } finally {
      inputs.values().forEach(OnnxTensor::close);
    }
  }
}
