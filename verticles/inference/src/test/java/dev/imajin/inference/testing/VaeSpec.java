package dev.imajin.inference.testing;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import java.util.SplittableRandom;

/**
 * A tiny {@code AutoencoderKL}, exported as the two models {@code vae_encoder} and {@code
 * vae_decoder}.
 *
 * <p>Encoder: {@code sample} [batch, 3, height, width] → {@code latent_parameters} [batch, 8,
 * height/8, width/8] (mean ‖ logvar; Optimum ≥ 1.23) when {@code latentParameters}, else {@code
 * latent_sample} [batch, 4, height/8, width/8] (diffusers script, Olive, Optimum < 1.23). It is an
 * 8×8 average pool then a 1x1 convolution; logvar channels sit around −2, and latent means reach
 * about ±5, like real latents before the scaling factor.
 *
 * <p>Decoder: {@code latent_sample} [batch, 4, h, w] → {@code sample} [batch, 3, 8h, 8w]: a 1x1
 * convolution to RGB (unscaled latents map to about [−1, 1]) then a nearest 8× upsample, so each
 * 8×8 block of the image is one colour.
 */
public record VaeSpec(DataType floats, boolean latentParameters, AxisNames axes) {
  public static final int SPATIAL_FACTOR = 8;

  public VaeSpec {
    Dtypes.requireFloat(floats);
  }

  /** The encoder's output name. */
  public String encoderOutput() {
    return latentParameters ? "latent_parameters" : "latent_sample";
  }

  public ModelProto encoder() {
    OnnxGraph g = new OnnxGraph("vae_encoder");
    SplittableRandom random = new SplittableRandom(3);
    Object channels = axes.channels(3);
    String image =
        g.cast(
            g.input("sample", floats, axes.batch, channels, axes.height, axes.width),
            floats,
            DataType.FLOAT);
    String pooled =
        g.node("AveragePool")
            .in(image)
            .attr("kernel_shape", SPATIAL_FACTOR, SPATIAL_FACTOR)
            .attr("strides", SPATIAL_FACTOR, SPATIAL_FACTOR)
            .out();
    int out = latentParameters ? 8 : 4;
    float[] bias = new float[out];
    for (int c = 4; c < out; c++) {
      bias[c] = -2f;
    }
    String weight = g.floats(random, 0f, 2f, out, 3, 1, 1);
    String latent = g.op("Conv", pooled, weight, g.floats(bias, out));
    g.output(
        encoderOutput(),
        g.cast(latent, DataType.FLOAT, floats),
        floats,
        axes.batch,
        latentParameters ? 8 : axes.channels(4),
        axes.latentHeight,
        axes.latentWidth);
    return g.model();
  }

  public ModelProto decoder() {
    OnnxGraph g = new OnnxGraph("vae_decoder");
    SplittableRandom random = new SplittableRandom(5);
    String latent =
        g.cast(
            g.input(
                "latent_sample",
                floats,
                axes.batch,
                axes.channels(4),
                axes.latentHeight,
                axes.latentWidth),
            floats,
            DataType.FLOAT);
    String weight = g.floats(random, 0f, 0.1f, 3, 4, 1, 1);
    String rgb = g.op("Conv", latent, weight, g.floats(random, 0f, 0.05f, 3));
    String scales = g.floats(new float[] {1, 1, SPATIAL_FACTOR, SPATIAL_FACTOR}, 4);
    String image = g.node("Resize").in(rgb, "", scales).attr("mode", "nearest").out();
    g.output(
        "sample",
        g.cast(image, DataType.FLOAT, floats),
        floats,
        axes.batch,
        axes.channels(3),
        axes.height,
        axes.width);
    return g.model();
  }
}
