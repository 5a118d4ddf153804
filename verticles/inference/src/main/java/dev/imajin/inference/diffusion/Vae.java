package dev.imajin.inference.diffusion;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.imajin.inference.model.DiffusionLayout;
import dev.imajin.inference.onnx.Tensors;
import dev.imajin.inference.scheduler.Noise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The VAE's two halves (MODELS.md §1.2). Latents here are the UNet's: scaled by {@code
 * scaling_factor} (and, where the VAE config has {@code latents_mean}/{@code latents_std}, centred
 * and scaled per channel as diffusers does).
 */
final class Vae {
  static final int FACTOR = 8;
  private static final int CHANNELS = 4;
  private static final float LOGVAR_MIN = -30f;
  private static final float LOGVAR_MAX = 20f;

  private final OrtSession decoder;
  private final OrtSession encoder;
  private final float scale;
  private final float[] mean;
  private final float[] std;

  private Vae(OrtSession decoder, OrtSession encoder, float scale, float[] mean, float[] std) {
    this.decoder = decoder;
    this.encoder = encoder;
    this.scale = scale;
    this.mean = mean;
    this.std = std;
  }

  /**
   * @param encoder null when the model has no VAE encoder
   */
  static Vae of(OrtSession decoder, OrtSession encoder, DiffusionLayout layout) {
    float[] mean = null;
    float[] std = null;
    for (String component : List.of("vae_decoder", "vae_encoder", "vae")) {
      Optional<JsonObject> config = layout.config(component);
      if (config.isPresent() && config.get().getValue("latents_mean") instanceof JsonArray m) {
        mean = floats(m);
        std = floats(config.get().getJsonArray("latents_std"));
        break;
      }
    }
    return new Vae(decoder, encoder, (float) layout.scalingFactor(), mean, std);
  }

  private static float[] floats(JsonArray values) {
    if (values == null || values.size() != CHANNELS) {
      throw new IllegalArgumentException("latents_mean and latents_std must hold 4 numbers each");
    }
    float[] out = new float[CHANNELS];
    for (int i = 0; i < CHANNELS; i++) {
      out[i] = values.getNumber(i).floatValue();
    }
    return out;
  }

  boolean canEncode() {
    return encoder != null;
  }

  /** Decodes the [4, h, w] latents at {@code offset} into a width x height RGB image. */
  BufferedImage decode(OrtEnvironment env, float[] latents, int offset, int width, int height)
      throws OrtException {
    int plane = (width / FACTOR) * (height / FACTOR);
    float[] in = new float[CHANNELS * plane];
    for (int c = 0; c < CHANNELS; c++) {
      float s = std == null ? 1f : std[c];
      float m = mean == null ? 0f : mean[c];
      for (int i = 0; i < plane; i++) {
        in[c * plane + i] = latents[offset + c * plane + i] * s / scale + m;
      }
    }
    NodeInfo input = first(decoder.getInputInfo(), "latent_sample");
    long[] shape = {1, CHANNELS, height / FACTOR, width / FACTOR};
    try (OnnxTensor tensor = Tensors.of(env, input, in, shape);
        OrtSession.Result result = decoder.run(Map.of(input.getName(), tensor))) {
      OnnxTensor out = output(result, decoder, "sample");
      long[] got = out.getInfo().getShape();
      if (!Arrays.equals(got, new long[] {1, 3, height, width})) {
        throw new IllegalStateException(
            "the VAE decoder returned " + Arrays.toString(got) + " for " + width + "x" + height);
      }
      return Pixels.fromPlanes(Tensors.floats(out), 0, width, height);
    }
  }

  /**
   * Encodes [3, height, width] pixels in [−1, 1] into {@code images} copies of its latents. A
   * {@code latent_parameters} encoder (mean ‖ logvar) gives each image mean + std·ε with ε from
   * {@code noise} (that image's share), or the mean when {@code noise} is null; a {@code
   * latent_sample} encoder draws inside the graph and every image gets the same latents.
   */
  float[] encode(OrtEnvironment env, float[] pixels, int width, int height, int images, Noise noise)
      throws OrtException {
    NodeInfo input = first(encoder.getInputInfo(), "sample");
    long[] shape = {1, 3, height, width};
    int plane = (width / FACTOR) * (height / FACTOR);
    int each = CHANNELS * plane;
    float[] latents = new float[images * each];
    try (OnnxTensor tensor = Tensors.of(env, input, pixels, shape);
        OrtSession.Result result = encoder.run(Map.of(input.getName(), tensor))) {
      String name =
          encoder.getOutputInfo().containsKey("latent_parameters")
              ? "latent_parameters"
              : "latent_sample";
      OnnxTensor out = output(result, encoder, name);
      long[] got = out.getInfo().getShape();
      float[] values = Tensors.floats(out);
      if (got.length != 4 || got[0] != 1 || got[2] * got[3] != plane) {
        throw new IllegalStateException(
            "the VAE encoder returned " + Arrays.toString(got) + " for " + width + "x" + height);
      }
      if (got[1] == 2 * CHANNELS) {
        sample(values, each, images, noise, latents);
      } else if (got[1] == CHANNELS) {
        for (int b = 0; b < images; b++) {
          System.arraycopy(values, 0, latents, b * each, each);
        }
      } else {
        throw new IllegalStateException("the VAE encoder returned " + got[1] + " channels");
      }
    }
    for (int b = 0; b < images; b++) {
      for (int c = 0; c < CHANNELS; c++) {
        float s = std == null ? 1f : std[c];
        float m = mean == null ? 0f : mean[c];
        int from = b * each + c * plane;
        for (int i = from; i < from + plane; i++) {
          latents[i] = (latents[i] - m) * scale / s;
        }
      }
    }
    return latents;
  }

  /** mean + exp(½·clamp(logvar, −30, 20))·ε per image, or the mean. */
  private static void sample(float[] parameters, int each, int images, Noise noise, float[] out) {
    float[] eps = new float[out.length];
    if (noise != null) {
      noise.fill(eps);
    }
    for (int b = 0; b < images; b++) {
      for (int i = 0; i < each; i++) {
        float logvar = Math.max(LOGVAR_MIN, Math.min(LOGVAR_MAX, parameters[each + i]));
        float sd = (float) Math.exp(0.5f * logvar);
        out[b * each + i] = parameters[i] + sd * eps[b * each + i];
      }
    }
  }

  private static NodeInfo first(Map<String, NodeInfo> inputs, String name) {
    return inputs.getOrDefault(name, inputs.values().iterator().next());
  }

  private static OnnxTensor output(OrtSession.Result result, OrtSession session, String name)
      throws OrtException {
    Optional<OnnxValue> value = result.get(name);
    OnnxValue v =
        value.isPresent()
            ? value.get()
            : result.get(session.getOutputNames().iterator().next()).orElseThrow();
    if (v instanceof OnnxTensor t) {
      return t;
    }
    throw new IllegalStateException(name + " is not a tensor");
  }
}
