package dev.imajin.inference.testing;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import dev.imajin.inference.testing.SdVariant.Family;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;

/** The JSON files of a pipeline folder (MODELS.md §1.1, §1.4). */
final class SdConfigs {
  private static final String DIFFUSERS_VERSION = "0.30.0";

  private SdConfigs() {}

  static JsonObject modelIndex(SdVariant v) {
    return v.optimumLayout() ? optimumIndex(v) : scriptIndex(v);
  }

  /** {@code model.save_config} of the source diffusers pipeline, as Optimum writes it. */
  private static JsonObject optimumIndex(SdVariant v) {
    Family f = v.family();
    JsonObject index =
        header(f.pipelineClass()).put("feature_extractor", none()).put("image_encoder", none());
    if (f.xl()) {
      index.put("force_zeros_for_empty_prompt", true);
    } else {
      index.put("requires_safety_checker", false).put("safety_checker", none());
    }
    index
        .put("scheduler", pair("diffusers", schedulerClass(f)))
        .put("text_encoder", pair("transformers", "CLIPTextModel"));
    if (f.xl()) {
      index.put("text_encoder_2", pair("transformers", "CLIPTextModelWithProjection"));
    }
    index.put("tokenizer", pair("transformers", "CLIPTokenizer"));
    if (f.xl()) {
      index.put("tokenizer_2", pair("transformers", "CLIPTokenizer"));
    }
    return index
        .put("unet", pair("diffusers", "UNet2DConditionModel"))
        .put("vae", pair("diffusers", "AutoencoderKL"));
  }

  /** What {@code OnnxStableDiffusionPipeline.save_pretrained} writes (no safety checker). */
  private static JsonObject scriptIndex(SdVariant v) {
    JsonArray onnx = pair("diffusers", "OnnxRuntimeModel");
    return new JsonObject()
        .put("_class_name", "OnnxStableDiffusionPipeline")
        .put("_diffusers_version", "0.6.0")
        .put("feature_extractor", none())
        .put("requires_safety_checker", false)
        .put("safety_checker", none())
        .put("scheduler", pair("diffusers", schedulerClass(v.family())))
        .put("text_encoder", onnx)
        .put("tokenizer", pair("transformers", "CLIPTokenizer"))
        .put("unet", onnx)
        .put("vae_decoder", onnx)
        .put("vae_encoder", onnx);
  }

  static String schedulerClass(Family f) {
    return switch (f) {
      case SD15 -> "PNDMScheduler";
      case SD21 -> "DDIMScheduler";
      case SDXL, SD_TURBO -> "EulerDiscreteScheduler";
      case SDXL_TURBO -> "EulerAncestralDiscreteScheduler";
      case LCM -> "LCMScheduler";
    };
  }

  /** The scheduler_config.json each model ships (MODELS.md §1.4). */
  static JsonObject scheduler(Family f) {
    JsonObject s =
        header(schedulerClass(f))
            .put("beta_end", 0.012)
            .put("beta_schedule", "scaled_linear")
            .put("beta_start", new BigDecimal("0.00085"))
            .put("clip_sample", false)
            .put("num_train_timesteps", 1000);
    switch (f) {
      case SD15 -> s.put("set_alpha_to_one", false).put("skip_prk_steps", true);
      case SD21 -> s.put("prediction_type", "v_prediction").put("set_alpha_to_one", false);
      case SDXL -> euler(s, "leading");
      case SD_TURBO, SDXL_TURBO -> euler(s, "trailing");
      case LCM ->
          s.put("original_inference_steps", 50)
              .put("prediction_type", "epsilon")
              .put("set_alpha_to_one", true);
    }
    return s.put("steps_offset", f == Family.LCM ? 0 : 1).putNull("trained_betas");
  }

  private static void euler(JsonObject s, String spacing) {
    s.put("interpolation_type", "linear")
        .put("prediction_type", "epsilon")
        .put("timestep_spacing", spacing)
        .put("use_karras_sigmas", false);
  }

  static JsonObject textEncoder(TextEncoderSpec spec) {
    boolean projected = spec.projection() > 0;
    return new JsonObject()
        .put(
            "architectures",
            new JsonArray().add(projected ? "CLIPTextModelWithProjection" : "CLIPTextModel"))
        .put("bos_token_id", 0)
        .put("eos_token_id", 2)
        .put("hidden_act", projected ? "gelu" : "quick_gelu")
        .put("hidden_size", spec.hidden())
        .put("intermediate_size", spec.hidden() * 4)
        .put("max_position_embeddings", 77)
        .put("model_type", "clip_text_model")
        .put("num_attention_heads", 4)
        .put("num_hidden_layers", spec.layers())
        .put("pad_token_id", 1)
        .put("projection_dim", projected ? spec.projection() : spec.hidden())
        .put("torch_dtype", spec.floats() == DataType.FLOAT16 ? "float16" : "float32")
        .put("vocab_size", 49408);
  }

  static JsonObject unet(SdVariant v) {
    UnetSpec spec = v.unet();
    boolean xl = spec.textEmbeds() > 0;
    int addTimeDim = 256;
    return header("UNet2DConditionModel")
        .put("addition_embed_type", xl ? "text_time" : null)
        .put("addition_time_embed_dim", xl ? addTimeDim : null)
        .put("block_out_channels", new JsonArray().add(320).add(640).add(1280).add(1280))
        .put("cross_attention_dim", spec.crossAttention())
        .put("in_channels", UnetSpec.LATENT_CHANNELS)
        .put("out_channels", UnetSpec.LATENT_CHANNELS)
        .put(
            "projection_class_embeddings_input_dim",
            xl ? addTimeDim * spec.timeIds() + spec.textEmbeds() : null)
        .put("sample_size", v.family().unetSampleSize())
        .put("time_cond_proj_dim", spec.timestepCond() > 0 ? spec.timestepCond() : null);
  }

  static JsonObject vae(SdVariant v) {
    Family f = v.family();
    JsonObject vae =
        header("AutoencoderKL")
            .put("block_out_channels", new JsonArray().add(128).add(256).add(512).add(512))
            .put("in_channels", 3)
            .put("latent_channels", UnetSpec.LATENT_CHANNELS)
            .put("out_channels", 3)
            .put("sample_size", f.unetSampleSize() * VaeSpec.SPATIAL_FACTOR)
            .put("scaling_factor", f.scalingFactor());
    return f.xl() ? vae.put("force_upcast", true) : vae;
  }

  private static JsonObject header(String className) {
    return new JsonObject()
        .put("_class_name", className)
        .put("_diffusers_version", DIFFUSERS_VERSION);
  }

  /** A component the pipeline does not have. */
  private static JsonArray none() {
    return new JsonArray().addNull().addNull();
  }

  private static JsonArray pair(String library, String className) {
    return new JsonArray().add(library).add(className);
  }
}
