package dev.imajin.inference.testing;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A tiny UNet with the I/O of an exported {@code UNet2DConditionModel}.
 *
 * <p>Inputs, in this order: {@code sample} [batch, 4, height, width]; {@code timestep} as {@link
 * Timestep} says; {@code encoder_hidden_states} [batch, sequence, crossAttention]; then, when their
 * size is not 0, {@code textEmbedsName} [batch, textEmbeds] and {@code timeIdsName} [batch,
 * timeIds] (SDXL {@code text_embeds}, {@code time_ids}) and {@code timestep_cond} [batch,
 * timestepCond] (LCM). Output {@code out_sample}, shaped as {@code sample}. Float I/O is of type
 * {@code floats}.
 *
 * <p>The graph: {@code out = conv1x1(sample) + 0.1·tanh(sin(t·f + p) + mean_seq(ehs)·W + Σ
 * extra·W')}, the second term broadcast over height and width. The 1x1 convolution is about the
 * identity (the model "sees" only noise), so predicted clean latents shrink and a denoising loop
 * stays finite; the timestep may have 1 or batch entries, as in the real model.
 */
public record UnetSpec(
    DataType floats,
    Timestep timestep,
    int crossAttention,
    int textEmbeds,
    int timeIds,
    int timestepCond,
    String textEmbedsName,
    String timeIdsName,
    AxisNames axes) {

  public static final int LATENT_CHANNELS = 4;

  /** How an exporter declares {@code timestep}. */
  public enum Timestep {
    /** Rank-0, of the export float type: Optimum ≥ 1.24, optimum-onnx. */
    FLOAT_SCALAR,
    /** int64 [n]: diffusers script 2022-09 to 2022-11, Optimum 1.6 to 1.23. */
    INT64_VECTOR,
    /** Float [n] of the export float type: diffusers script from 2022-11, Olive. */
    FLOAT_VECTOR
  }

  public UnetSpec {
    Dtypes.requireFloat(floats);
    if (crossAttention < 1 || textEmbeds < 0 || timeIds < 0 || timestepCond < 0) {
      throw new IllegalArgumentException("sizes must be positive, or 0 for an absent input");
    }
  }

  /** The declared type of {@code timestep}. */
  public DataType timestepType() {
    return timestep == Timestep.INT64_VECTOR ? DataType.INT64 : floats;
  }

  public ModelProto model() {
    OnnxGraph g = new OnnxGraph("unet");
    SplittableRandom random = new SplittableRandom(crossAttention * 17L + textEmbeds);
    Object channels = axes.channels(LATENT_CHANNELS);
    String sample = floatInput(g, "sample", axes.batch, channels, axes.height, axes.width);
    Object[] timeDims =
        timestep == Timestep.FLOAT_SCALAR ? new Object[0] : new Object[] {axes.steps};
    String t =
        g.cast(g.input("timestep", timestepType(), timeDims), timestepType(), DataType.FLOAT);
    String ehs = floatInput(g, "encoder_hidden_states", axes.batch, axes.sequence, crossAttention);

    String column = g.op("Reshape", t, g.longs(-1, 1));
    String phase = g.floats(random, 0f, 3f, LATENT_CHANNELS);
    String freq = g.floats(random, 0.016f, 0.014f, LATENT_CHANNELS);
    List<String> terms = new ArrayList<>();
    terms.add(g.op("Sin", g.op("Add", g.op("Mul", column, freq), phase)));
    String meanEhs =
        g.node("ReduceMean").in(ehs).attr("axes", new long[] {1}).attr("keepdims", 0).out();
    terms.add(project(g, random, meanEhs, crossAttention, 0.5f));
    if (textEmbeds > 0) {
      String embeds = floatInput(g, textEmbedsName, axes.batch, textEmbeds);
      terms.add(project(g, random, embeds, textEmbeds, 0.1f));
    }
    if (timeIds > 0) {
      String ids = floatInput(g, timeIdsName, axes.batch, timeIds);
      terms.add(project(g, random, ids, timeIds, 0.002f));
    }
    if (timestepCond > 0) {
      String cond = floatInput(g, "timestep_cond", axes.batch, timestepCond);
      terms.add(project(g, random, cond, timestepCond, 0.05f));
    }
    String sum = terms.get(0);
    for (String term : terms.subList(1, terms.size())) {
      sum = g.op("Add", sum, term);
    }
    String small = g.op("Mul", g.op("Tanh", sum), g.scalar(0.1f));
    String bias = g.op("Unsqueeze", small, g.longs(2, 3));
    String conv = g.op("Conv", sample, convWeight(g, random), g.floats(random, 0f, 0.02f, 4));
    String out = g.cast(g.op("Add", conv, bias), DataType.FLOAT, floats);
    g.output("out_sample", out, floats, axes.batch, channels, axes.height, axes.width);
    return g.model();
  }

  private String floatInput(OnnxGraph g, String name, Object... dims) {
    return g.cast(g.input(name, floats, dims), floats, DataType.FLOAT);
  }

  private static String project(
      OnnxGraph g, SplittableRandom random, String value, int size, float scale) {
    return g.op("MatMul", value, g.floats(random, 0f, scale, size, LATENT_CHANNELS));
  }

  private static String convWeight(OnnxGraph g, SplittableRandom random) {
    float[] w = new float[LATENT_CHANNELS * LATENT_CHANNELS];
    for (int i = 0; i < w.length; i++) {
      boolean diagonal = i / LATENT_CHANNELS == i % LATENT_CHANNELS;
      w[i] = (diagonal ? 1f : 0f) + (float) random.nextDouble(-0.05, 0.05);
    }
    return g.floats(w, LATENT_CHANNELS, LATENT_CHANNELS, 1, 1);
  }
}
