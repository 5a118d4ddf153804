package dev.imajin.inference.testing;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import java.util.SplittableRandom;

/**
 * A tiny CLIP text encoder with the I/O of an exported {@code CLIPTextModel} or, when {@code
 * projection > 0}, {@code CLIPTextModelWithProjection} (SDXL {@code text_encoder_2}).
 *
 * <p>Input {@code input_ids} [batch, sequence] of type {@code inputIds}. Outputs, in this order:
 * {@code text_embeds} [batch, projection] (with projection only), {@code last_hidden_state} [batch,
 * sequence, hidden], {@code pooler_output} [batch, hidden] (without projection only), then {@code
 * hidden_states.0} … {@code hidden_states.<layers>} [batch, sequence, hidden] when {@code
 * hiddenStates}. Float outputs are of type {@code floats} (FLOAT or FLOAT16).
 *
 * <p>The graph: each token id becomes {@code sin(id·a + b)} per channel, plus a running sum along
 * the sequence (so every position sees the tokens before it) = {@code hidden_states.0}; each layer
 * is {@code tanh(h·W + c)} with one shared W; {@code last_hidden_state} is the LayerNorm of the
 * last layer; the pooled vector is {@code last_hidden_state} at the argmax of {@code input_ids}
 * (the first EOS, as CLIP pools); {@code text_embeds} is it times a projection matrix. Any sequence
 * length works; every output depends on the ids up to the first largest one.
 */
public record TextEncoderSpec(
    DataType inputIds,
    DataType floats,
    int hidden,
    int layers,
    boolean hiddenStates,
    int projection,
    AxisNames axes) {

  public TextEncoderSpec {
    if (inputIds != DataType.INT32 && inputIds != DataType.INT64) {
      throw new IllegalArgumentException("input_ids must be INT32 or INT64: " + inputIds);
    }
    Dtypes.requireFloat(floats);
    if (hidden < 1 || layers < 1 || projection < 0) {
      throw new IllegalArgumentException("sizes must be positive");
    }
  }

  public ModelProto model() {
    OnnxGraph g = new OnnxGraph(projection > 0 ? "text_encoder_2" : "text_encoder");
    SplittableRandom random = new SplittableRandom(hidden * 31L + layers);
    String ids = g.input("input_ids", inputIds, axes.batch, axes.sequence);
    String idf = g.cast(ids, inputIds, DataType.FLOAT);
    String column = g.op("Unsqueeze", idf, g.longs(2));
    String angle = g.op("Mul", column, g.floats(random, 0.5f, 0.45f, hidden));
    String token = g.op("Sin", g.op("Add", angle, g.floats(random, 0f, 3f, hidden)));
    String running = g.op("CumSum", token, g.scalarInt64(1));
    String[] states = new String[layers + 1];
    states[0] = g.op("Add", token, g.op("Mul", running, g.scalar(0.05f)));
    String weight = g.floats(random, 0f, 2f / (float) Math.sqrt(hidden), hidden, hidden);
    String bias = g.floats(random, 0f, 0.2f, hidden);
    for (int k = 1; k <= layers; k++) {
      states[k] = g.op("Tanh", g.op("Add", g.op("MatMul", states[k - 1], weight), bias));
    }
    String last =
        g.node("LayerNormalization")
            .in(
                states[layers],
                g.floats(random, 1f, 0.2f, hidden),
                g.floats(random, 0f, 0.2f, hidden))
            .attr("axis", -1)
            .attr("epsilon", 1e-5f)
            .out();
    String eos = g.node("ArgMax").in(idf).attr("axis", 1).attr("keepdims", 1).out();
    String pooled = g.node("GatherND").in(last, eos).attr("batch_dims", 1).out();

    if (projection > 0) {
      String embeds = g.op("MatMul", pooled, g.floats(random, 0f, 0.5f, hidden, projection));
      floatOutput(g, "text_embeds", embeds, axes.batch, projection);
    }
    floatOutput(g, "last_hidden_state", last, axes.batch, axes.sequence, hidden);
    if (projection == 0) {
      floatOutput(g, "pooler_output", pooled, axes.batch, hidden);
    }
    if (hiddenStates) {
      for (int k = 0; k <= layers; k++) {
        floatOutput(g, "hidden_states." + k, states[k], axes.batch, axes.sequence, hidden);
      }
    }
    return g.model();
  }

  private void floatOutput(OnnxGraph g, String name, String value, Object... dims) {
    g.output(name, g.cast(value, DataType.FLOAT, floats), floats, dims);
  }
}
