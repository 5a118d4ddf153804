package dev.imajin.inference.model;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Where the parts of a Stable Diffusion model are and the few numbers the pipeline needs from its
 * configuration files. Built by the registry's scan, so a folder whose configuration is unreadable
 * is refused before anything loads it.
 *
 * @param kind how the folder was laid out
 * @param pipelineClass {@code _class_name} of {@code model_index.json}; empty when there is none
 * @param textEncoder2 SDXL's second text encoder
 * @param vaeEncoder needed for image-to-image and inpainting only
 * @param tokenizer2 SDXL's second tokenizer folder
 * @param schedulerConfig {@code scheduler/scheduler_config.json} as shipped
 * @param configs the per-component {@code config.json} files that exist, by component ({@code
 *     unet}, {@code vae_decoder}, {@code text_encoder}, ...); legacy exports have none
 * @param scalingFactor the VAE latent scale, read from {@code vae_decoder/config.json}, {@code
 *     vae_encoder/config.json} or {@code vae/config.json} in that order; when none has it, 0.18215
 *     (SD 1/2) or 0.13025 (SDXL), with a warning. Optimum's fallback of {@code
 *     2**(len(block_out_channels)-1)} is the spatial factor, not a latent scale, and is not used.
 * @param sampleSize the UNet's {@code sample_size} in latent pixels; 64 (128 for SDXL), with a
 *     warning, when there is no UNet config
 * @param forceZerosForEmptyPrompt from {@code model_index.json}; when absent, true for SDXL only
 *     (the diffusers default of each pipeline)
 * @param warnings the values above that were guessed
 */
public record DiffusionLayout(
    Path folder,
    Kind kind,
    String pipelineClass,
    Path textEncoder,
    Optional<Path> textEncoder2,
    Path unet,
    Optional<Path> vaeEncoder,
    Path vaeDecoder,
    Path tokenizer,
    Optional<Path> tokenizer2,
    JsonObject schedulerConfig,
    Map<String, JsonObject> configs,
    double scalingFactor,
    int sampleSize,
    boolean forceZerosForEmptyPrompt,
    List<String> warnings) {

  public static final double SD_SCALING_FACTOR = 0.18215;
  public static final double SDXL_SCALING_FACTOR = 0.13025;

  public enum Kind {
    /** Components named by the roles of an {@code imajin-model.yaml}. */
    MANIFEST,
    /** Optimum (or a diffusers layout) with a {@code config.json} per component. */
    OPTIMUM,
    /**
     * diffusers' legacy {@code convert_stable_diffusion_checkpoint_to_onnx.py}: no component
     * configs. Olive's exports look the same and are reported as this.
     */
    DIFFUSERS_ONNX
  }

  public DiffusionLayout {
    schedulerConfig = schedulerConfig.copy();
    configs = copy(configs);
    warnings = List.copyOf(warnings);
  }

  /** A copy; the layout stays unchanged. */
  @Override
  public JsonObject schedulerConfig() {
    return schedulerConfig.copy();
  }

  /** Copies; the layout stays unchanged. */
  @Override
  public Map<String, JsonObject> configs() {
    return copy(configs);
  }

  public Optional<JsonObject> config(String component) {
    return Optional.ofNullable(configs.get(component)).map(JsonObject::copy);
  }

  /** The default width and height in pixels: {@code sample_size × 8}. */
  public int defaultImageSize() {
    return sampleSize * 8;
  }

  /** Two text encoders, pooled embeddings and {@code time_ids}: the SDXL conditioning. */
  public boolean xl() {
    return textEncoder2.isPresent();
  }

  /** The scheduler's {@code _class_name}, such as {@code EulerDiscreteScheduler}. */
  public String schedulerClass() {
    return schedulerConfig.getString("_class_name", "");
  }

  /** {@code epsilon} unless the scheduler config says otherwise ({@code v_prediction}). */
  public String predictionType() {
    return schedulerConfig.getString("prediction_type", "epsilon");
  }

  /**
   * The UNet's {@code time_cond_proj_dim}: set for LCM, which then takes a {@code timestep_cond}.
   */
  public OptionalInt timeCondProjDim() {
    JsonObject unetConfig = configs.get("unet");
    Integer dim = unetConfig == null ? null : unetConfig.getInteger("time_cond_proj_dim");
    return dim == null ? OptionalInt.empty() : OptionalInt.of(dim);
  }

  private static Map<String, JsonObject> copy(Map<String, JsonObject> configs) {
    Map<String, JsonObject> copy = new LinkedHashMap<>();
    configs.forEach((name, config) -> copy.put(name, config.copy()));
    return Collections.unmodifiableMap(copy);
  }
}
