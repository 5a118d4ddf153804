package dev.imajin.inference.testing;

import ai.onnx.proto.OnnxMl.ModelProto;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A whole Stable Diffusion pipeline folder of tiny models, laid out as the variant's exporter lays
 * it out (MODELS.md §1.1).
 *
 * <p>Always: {@code model_index.json}, {@code scheduler/scheduler_config.json}, {@code
 * text_encoder/model.onnx}, {@code unet/model.onnx} (weights in {@link SdVariant#unetWeights()}),
 * {@code vae_encoder/model.onnx}, {@code vae_decoder/model.onnx} and {@code tokenizer/}. SDXL adds
 * {@code text_encoder_2/} and {@code tokenizer_2/}. The Optimum layout adds each component's {@code
 * config.json} ({@code scaling_factor}, {@code sample_size}, {@code cross_attention_dim}, {@code
 * time_cond_proj_dim}, {@code addition_embed_type}, …). No safety checker or feature extractor is
 * written; model_index.json marks them {@code [null, null]}.
 *
 * @param models each component's folder name mapped to its {@code model.onnx}
 */
public record SdPipelineFolder(Path root, SdVariant variant, Map<String, Path> models) {

  /** Writes {@code variant} into {@code root} with empty tokenizer folders. */
  public static SdPipelineFolder write(Path root, SdVariant variant) throws IOException {
    return write(root, variant, TokenizerFiles.NONE);
  }

  public static SdPipelineFolder write(Path root, SdVariant variant, TokenizerFiles tokenizers)
      throws IOException {
    boolean configs = variant.optimumLayout();
    Map<String, Path> models = new LinkedHashMap<>();
    models.put("text_encoder", inline(root, "text_encoder", variant.textEncoder().model()));
    if (configs) {
      json(root.resolve("text_encoder/config.json"), SdConfigs.textEncoder(variant.textEncoder()));
    }
    if (variant.textEncoder2().isPresent()) {
      TextEncoderSpec second = variant.textEncoder2().get();
      models.put("text_encoder_2", inline(root, "text_encoder_2", second.model()));
      if (configs) {
        json(root.resolve("text_encoder_2/config.json"), SdConfigs.textEncoder(second));
      }
    }
    Path unet = root.resolve("unet/model.onnx");
    if (variant.unetWeights() == SdVariant.WeightsFile.INLINE) {
      OnnxFiles.write(variant.unet().model(), unet);
    } else {
      OnnxFiles.write(variant.unet().model(), unet, variant.unetWeights().fileName);
    }
    models.put("unet", unet);
    models.put("vae_encoder", inline(root, "vae_encoder", variant.vae().encoder()));
    models.put("vae_decoder", inline(root, "vae_decoder", variant.vae().decoder()));
    if (configs) {
      json(root.resolve("unet/config.json"), SdConfigs.unet(variant));
      json(root.resolve("vae_encoder/config.json"), SdConfigs.vae(variant));
      json(root.resolve("vae_decoder/config.json"), SdConfigs.vae(variant));
    }
    json(root.resolve("model_index.json"), SdConfigs.modelIndex(variant));
    json(root.resolve("scheduler/scheduler_config.json"), SdConfigs.scheduler(variant.family()));
    int encoders = variant.family().xl() ? 2 : 1;
    for (int index = 1; index <= encoders; index++) {
      Path dir = root.resolve(index == 1 ? "tokenizer" : "tokenizer_2");
      Files.createDirectories(dir);
      tokenizers.write(dir, variant.family(), index);
    }
    return new SdPipelineFolder(root, variant, Collections.unmodifiableMap(models));
  }

  /** The {@code model.onnx} of a component folder ({@code unet}, {@code vae_decoder}, …). */
  public Path model(String component) {
    Path model = models.get(component);
    if (model == null) {
      throw new IllegalArgumentException("no component " + component + " in " + models.keySet());
    }
    return model;
  }

  private static Path inline(Path root, String component, ModelProto model) throws IOException {
    Path file = root.resolve(component).resolve("model.onnx");
    OnnxFiles.write(model, file);
    return file;
  }

  private static void json(Path file, JsonObject json) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, json.encodePrettily() + "\n", StandardCharsets.UTF_8);
  }
}
