package dev.imajin.inference.diffusion;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.imajin.inference.onnx.Tensors;
import dev.imajin.inference.text.ClipTokenizer;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One CLIP text encoder session and its tokenizer. The outputs it reads are found by name
 * (MODELS.md §1.2): SD 1/2 take {@code last_hidden_state} (else output 0); SDXL takes the
 * penultimate layer, {@code hidden_states.(L−1)} where {@code hidden_states.L} is the last one
 * listed, and from {@code text_encoder_2} the pooled {@code text_embeds} (else its first rank-2
 * output).
 */
final class TextEncoder {
  private static final Pattern HIDDEN_STATE = Pattern.compile("hidden_states\\.(\\d+)");

  private final OrtSession session;
  private final ClipTokenizer tokenizer;
  private final NodeInfo inputIds;
  private final String states;
  private final String pooled;

  private TextEncoder(
      OrtSession session,
      ClipTokenizer tokenizer,
      NodeInfo inputIds,
      String states,
      String pooled) {
    this.session = session;
    this.tokenizer = tokenizer;
    this.inputIds = inputIds;
    this.states = states;
    this.pooled = pooled;
  }

  /**
   * @param penultimate read the penultimate hidden state (SDXL) instead of the last one
   * @param withPooled also read the pooled projection ({@code text_encoder_2})
   */
  static TextEncoder of(
      String component,
      OrtSession session,
      ClipTokenizer tokenizer,
      boolean penultimate,
      boolean withPooled)
      throws OrtException {
    Map<String, NodeInfo> inputs = session.getInputInfo();
    if (inputs.size() != 1) {
      throw new IllegalArgumentException(
          component + " takes " + inputs.keySet() + "; imajin feeds only input_ids");
    }
    NodeInfo ids = inputs.values().iterator().next();
    Map<String, NodeInfo> outputs = session.getOutputInfo();
    String states = penultimate ? penultimate(component, outputs) : lastHidden(outputs);
    String pooled = withPooled ? pooled(component, outputs) : null;
    return new TextEncoder(session, tokenizer, ids, states, pooled);
  }

  private static String lastHidden(Map<String, NodeInfo> outputs) {
    return outputs.containsKey("last_hidden_state")
        ? "last_hidden_state"
        : outputs.keySet().iterator().next();
  }

  private static String penultimate(String component, Map<String, NodeInfo> outputs) {
    int last = -1;
    for (String name : outputs.keySet()) {
      Matcher m = HIDDEN_STATE.matcher(name);
      if (m.matches()) {
        last = Math.max(last, Integer.parseInt(m.group(1)));
      }
    }
    String name = "hidden_states." + (last - 1);
    if (last < 1 || !outputs.containsKey(name)) {
      throw new IllegalArgumentException(
          component
              + " has no hidden_states.N outputs through the penultimate layer (outputs: "
              + outputs.keySet()
              + "); SDXL needs an export with output_hidden_states, as Optimum writes");
    }
    return name;
  }

  private static String pooled(String component, Map<String, NodeInfo> outputs) {
    if (outputs.containsKey("text_embeds")) {
      return "text_embeds";
    }
    for (NodeInfo info : outputs.values()) {
      if (Tensors.info(info).getShape().length == 2) {
        return info.getName();
      }
    }
    throw new IllegalArgumentException(
        component + " has no pooled text_embeds output (outputs: " + outputs.keySet() + ")");
  }

  /** The outputs read: the hidden states, then the pooled one if any. */
  List<String> outputs() {
    return pooled == null ? List.of(states) : List.of(states, pooled);
  }

  /** The encoding of one prompt: [sequence, width] hidden states and the pooled vector or null. */
  record Encoded(float[] states, int sequence, int width, float[] pooled) {}

  Encoded encode(OrtEnvironment env, String prompt) throws OrtException {
    int[] ids = tokenizer.encode(prompt);
    long[] wide = new long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      wide[i] = ids[i];
    }
    Set<String> wanted = new LinkedHashSet<>(List.of(states));
    if (pooled != null) {
      wanted.add(pooled);
    }
    try (OnnxTensor in = Tensors.of(env, inputIds, wide, new long[] {1, ids.length});
        OrtSession.Result result = session.run(Map.of(inputIds.getName(), in), wanted)) {
      OnnxTensor hidden = tensor(result, states);
      long[] shape = hidden.getInfo().getShape();
      if (shape.length != 3 || shape[0] != 1) {
        throw new IllegalStateException(
            "text encoder output "
                + states
                + " has shape "
                + Arrays.toString(shape)
                + ", expected [1, S, H]");
      }
      float[] pool = pooled == null ? null : Tensors.floats(tensor(result, pooled));
      return new Encoded(Tensors.floats(hidden), (int) shape[1], (int) shape[2], pool);
    }
  }

  private static OnnxTensor tensor(OrtSession.Result result, String name) {
    OnnxValue value = result.get(name).orElseThrow();
    if (value instanceof OnnxTensor t) {
      return t;
    }
    throw new IllegalStateException(name + " is not a tensor");
  }
}
