package dev.imajin.inference.model;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Writes model folders for the tests: dummy weight bytes, real JSON and YAML. */
final class Folders {
  private Folders() {}

  static Path write(Path file, String text) {
    return write(file, text.getBytes(StandardCharsets.UTF_8));
  }

  static Path write(Path file, byte[] bytes) {
    try {
      Files.createDirectories(file.getParent());
      return Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path json(Path file, JsonObject json) {
    return write(file, json.encodePrettily());
  }

  /** {@code n} bytes that differ from file to file by {@code seed}. */
  static Path dummy(Path file, int n, int seed) {
    byte[] bytes = new byte[n];
    for (int i = 0; i < n; i++) {
      bytes[i] = (byte) (i * 31 + seed);
    }
    return write(file, bytes);
  }

  static Path dummy(Path file, int n) {
    return dummy(file, n, 7);
  }

  /** The digest computed in one go, independently of the registry's streaming hasher. */
  static String sha256(Path file) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static Path tokenizer(Path dir, String pad) {
    write(dir.resolve("vocab.json"), "{\"a</w>\": 0}");
    write(dir.resolve("merges.txt"), "#version: 0.2\n");
    json(dir.resolve("special_tokens_map.json"), new JsonObject().put("pad_token", pad));
    return dir;
  }

  static JsonObject scheduler(String className) {
    return new JsonObject()
        .put("_class_name", className)
        .put("beta_start", 0.00085)
        .put("beta_end", 0.012)
        .put("beta_schedule", "scaled_linear")
        .put("num_train_timesteps", 1000)
        .put("steps_offset", 1);
  }

  static JsonObject index(String className) {
    return new JsonObject()
        .put("_class_name", className)
        .put("_diffusers_version", "0.30.0")
        .put("unet", new io.vertx.core.json.JsonArray().add("diffusers").add("OnnxRuntimeModel"));
  }

  /**
   * An Optimum SD 1.5 export: a config per component, {@code scaling_factor} in the VAE decoder's
   * config, the UNet's weights in {@code model.onnx_data}.
   */
  static Path optimumSd15(Path folder) {
    json(folder.resolve("model_index.json"), index("StableDiffusionPipeline"));
    dummy(folder.resolve("text_encoder/model.onnx"), 1000, 1);
    json(
        folder.resolve("text_encoder/config.json"),
        new JsonObject().put("hidden_size", 768).put("_name_or_path", "x"));
    dummy(folder.resolve("unet/model.onnx"), 2000, 2);
    dummy(folder.resolve("unet/model.onnx_data"), 30000, 3);
    json(
        folder.resolve("unet/config.json"),
        new JsonObject().put("sample_size", 64).put("cross_attention_dim", 768));
    dummy(folder.resolve("vae_encoder/model.onnx"), 500, 4);
    json(folder.resolve("vae_encoder/config.json"), vae(0.18215));
    dummy(folder.resolve("vae_decoder/model.onnx"), 600, 5);
    json(folder.resolve("vae_decoder/config.json"), vae(0.18215));
    tokenizer(folder.resolve("tokenizer"), "<|endoftext|>");
    json(folder.resolve("scheduler/scheduler_config.json"), scheduler("PNDMScheduler"));
    return folder;
  }

  /**
   * The legacy diffusers script's export: no component configs, the UNet's weights in {@code
   * weights.pb}.
   */
  static Path legacy(Path folder, String className) {
    json(folder.resolve("model_index.json"), index(className));
    dummy(folder.resolve("text_encoder/model.onnx"), 1000, 1);
    dummy(folder.resolve("unet/model.onnx"), 2000, 2);
    dummy(folder.resolve("unet/weights.pb"), 40000, 3);
    dummy(folder.resolve("vae_encoder/model.onnx"), 500, 4);
    dummy(folder.resolve("vae_decoder/model.onnx"), 600, 5);
    dummy(folder.resolve("safety_checker/model.onnx"), 700, 6);
    tokenizer(folder.resolve("tokenizer"), "<|endoftext|>");
    json(folder.resolve("scheduler/scheduler_config.json"), scheduler("PNDMScheduler"));
    return folder;
  }

  /** An Optimum SDXL export: two text encoders and tokenizers, zeros for the empty prompt. */
  static Path sdxl(Path folder, String className) {
    json(
        folder.resolve("model_index.json"),
        index(className).put("force_zeros_for_empty_prompt", true));
    dummy(folder.resolve("text_encoder/model.onnx"), 1000, 1);
    dummy(folder.resolve("text_encoder_2/model.onnx"), 1100, 2);
    dummy(folder.resolve("text_encoder_2/model.onnx_data"), 5000, 3);
    dummy(folder.resolve("unet/model.onnx"), 2000, 4);
    dummy(folder.resolve("unet/model.onnx_data"), 60000, 5);
    json(
        folder.resolve("unet/config.json"),
        new JsonObject().put("sample_size", 128).put("cross_attention_dim", 2048));
    dummy(folder.resolve("vae_decoder/model.onnx"), 600, 6);
    json(folder.resolve("vae_decoder/config.json"), vae(0.13025).put("force_upcast", true));
    tokenizer(folder.resolve("tokenizer"), "<|endoftext|>");
    tokenizer(folder.resolve("tokenizer_2"), "!");
    json(
        folder.resolve("scheduler/scheduler_config.json"),
        scheduler("EulerDiscreteScheduler").put("timestep_spacing", "leading"));
    return folder;
  }

  static JsonObject vae(double scalingFactor) {
    return new JsonObject()
        .put(
            "block_out_channels",
            new io.vertx.core.json.JsonArray().add(128).add(256).add(512).add(512))
        .put("scaling_factor", scalingFactor);
  }

  static String manifest(String id, String files) {
    return """
        id: %s
        task: image-classification
        family: vit
        license: Apache-2.0
        files:
        %s
        """
        .formatted(id, files.indent(2).stripTrailing());
  }
}
