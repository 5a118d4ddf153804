package dev.imajin.inference.testing;

import static dev.imajin.inference.testing.SdVariant.Family.LCM;
import static dev.imajin.inference.testing.SdVariant.Family.SD15;
import static dev.imajin.inference.testing.SdVariant.Family.SD21;
import static dev.imajin.inference.testing.SdVariant.Family.SDXL;
import static dev.imajin.inference.testing.SdVariant.Family.SDXL_TURBO;
import static dev.imajin.inference.testing.SdVariant.Family.SD_TURBO;
import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.imajin.inference.testing.SdVariant.WeightsFile;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("Stable Diffusion pipeline folders")
class SdPipelineFolderTest {
  private static final List<String> SCRIPT_FILES =
      List.of(
          "model_index.json",
          "scheduler/scheduler_config.json",
          "text_encoder/model.onnx",
          "tokenizer/",
          "unet/model.onnx",
          "unet/weights.pb",
          "vae_decoder/model.onnx",
          "vae_encoder/model.onnx");

  @TempDir Path dir;

  static Stream<SdVariant> variants() {
    return Stream.of(
        SdVariant.diffusersScriptInt64(SD21),
        SdVariant.diffusersScript(SD15),
        SdVariant.optimum1_6(SD15),
        SdVariant.optimum1_24(SDXL),
        SdVariant.optimum1_24(LCM),
        SdVariant.optimum1_24(SD_TURBO).withUnetWeights(WeightsFile.INLINE),
        SdVariant.optimum1_24(SDXL_TURBO).withUnetWeights(WeightsFile.MODEL_ONNX_DOT_DATA),
        SdVariant.olive(SD15),
        SdVariant.olive(SDXL));
  }

  @ParameterizedTest
  @MethodSource("variants")
  @DisplayName("Every model loads from its folder (external data included) and every JSON parses")
  void everyModelLoadsAndEveryJsonParses(SdVariant variant) throws IOException, OrtException {
    SdPipelineFolder folder = SdPipelineFolder.write(dir, variant);
    for (Map.Entry<String, Path> e : folder.models().entrySet()) {
      assertThat(e.getValue()).isEqualTo(dir.resolve(e.getKey()).resolve("model.onnx"));
      try (OrtSession session = OrtProbe.open(e.getValue())) {
        assertThat(session.getNumOutputs()).isPositive();
      }
    }
    for (String file : files(dir)) {
      if (file.endsWith(".json")) {
        assertThat(json(file)).as(file).isNotEmpty();
      }
    }
  }

  @Test
  @DisplayName("diffusers script: OnnxStableDiffusionPipeline, no component configs, weights.pb")
  void diffusersScriptLayout() throws IOException {
    SdPipelineFolder.write(dir, SdVariant.diffusersScript(SD15));

    assertThat(files(dir)).containsExactlyElementsOf(SCRIPT_FILES);
    JsonObject index = json("model_index.json");
    assertThat(index.getString("_class_name")).isEqualTo("OnnxStableDiffusionPipeline");
    for (String component : List.of("text_encoder", "unet", "vae_encoder", "vae_decoder")) {
      assertThat(index.getJsonArray(component)).containsExactly("diffusers", "OnnxRuntimeModel");
    }
    assertThat(index.getJsonArray("safety_checker")).containsExactly(null, null);
    assertThat(index.getJsonArray("scheduler")).containsExactly("diffusers", "PNDMScheduler");
    JsonObject scheduler = json("scheduler/scheduler_config.json");
    assertThat(scheduler.getInteger("steps_offset")).isEqualTo(1);
    assertThat(scheduler.getBoolean("skip_prk_steps")).isTrue();
    assertThat(scheduler.containsKey("timestep_spacing")).isFalse();
  }

  @Test
  @DisplayName("Optimum SD 1.5: diffusers class names, component configs, model.onnx_data")
  void optimumLayout() throws IOException {
    SdPipelineFolder.write(dir, SdVariant.optimum1_24(SD15));

    assertThat(files(dir))
        .containsExactly(
            "model_index.json",
            "scheduler/scheduler_config.json",
            "text_encoder/config.json",
            "text_encoder/model.onnx",
            "tokenizer/",
            "unet/config.json",
            "unet/model.onnx",
            "unet/model.onnx_data",
            "vae_decoder/config.json",
            "vae_decoder/model.onnx",
            "vae_encoder/config.json",
            "vae_encoder/model.onnx");
    JsonObject index = json("model_index.json");
    assertThat(index.getString("_class_name")).isEqualTo("StableDiffusionPipeline");
    assertThat(index.getJsonArray("unet")).containsExactly("diffusers", "UNet2DConditionModel");
    assertThat(index.getJsonArray("vae")).containsExactly("diffusers", "AutoencoderKL");
    assertThat(index.getJsonArray("text_encoder")).containsExactly("transformers", "CLIPTextModel");
    assertThat(json("vae_decoder/config.json").getDouble("scaling_factor")).isEqualTo(0.18215);
    assertThat(json("vae_encoder/config.json").getDouble("scaling_factor")).isEqualTo(0.18215);
    JsonObject unet = json("unet/config.json");
    assertThat(unet.getInteger("sample_size")).isEqualTo(64);
    assertThat(unet.getInteger("cross_attention_dim")).isEqualTo(SdVariant.TEXT_HIDDEN);
    assertThat(unet.getValue("time_cond_proj_dim")).isNull();
    assertThat(unet.getValue("addition_embed_type")).isNull();
    assertThat(json("text_encoder/config.json").getInteger("hidden_size"))
        .isEqualTo(SdVariant.TEXT_HIDDEN);
  }

  @Test
  @DisplayName(
      "Optimum SDXL: two text encoders and tokenizers, text_time UNet config, Euler leading")
  void sdxlLayout() throws IOException {
    SdPipelineFolder.write(dir, SdVariant.optimum1_24(SDXL));

    assertThat(files(dir))
        .contains(
            "text_encoder_2/config.json",
            "text_encoder_2/model.onnx",
            "tokenizer/",
            "tokenizer_2/");
    JsonObject index = json("model_index.json");
    assertThat(index.getString("_class_name")).isEqualTo("StableDiffusionXLPipeline");
    assertThat(index.getBoolean("force_zeros_for_empty_prompt")).isTrue();
    assertThat(index.getJsonArray("text_encoder_2"))
        .containsExactly("transformers", "CLIPTextModelWithProjection");
    JsonObject unet = json("unet/config.json");
    assertThat(unet.getString("addition_embed_type")).isEqualTo("text_time");
    assertThat(unet.getInteger("addition_time_embed_dim")).isEqualTo(256);
    // MODELS.md §1.5: addition_time_embed_dim · len(time_ids) + pooled size = add-embedding input
    assertThat(unet.getInteger("projection_class_embeddings_input_dim"))
        .isEqualTo(256 * SdVariant.TIME_IDS + SdVariant.TEXT2_PROJECTION);
    assertThat(unet.getInteger("cross_attention_dim"))
        .isEqualTo(SdVariant.TEXT_HIDDEN + SdVariant.TEXT2_HIDDEN);
    assertThat(json("text_encoder_2/config.json").getInteger("projection_dim"))
        .isEqualTo(SdVariant.TEXT2_PROJECTION);
    assertThat(json("vae_decoder/config.json").getDouble("scaling_factor")).isEqualTo(0.13025);
    assertThat(json("vae_decoder/config.json").getBoolean("force_upcast")).isTrue();
    assertScheduler("EulerDiscreteScheduler", "leading", 1);
  }

  @Test
  @DisplayName("LCM: time_cond_proj_dim 256 and the LCM scheduler config")
  void lcmLayout() throws IOException {
    SdPipelineFolder.write(dir, SdVariant.optimum1_24(LCM));

    assertThat(json("model_index.json").getString("_class_name"))
        .isEqualTo("LatentConsistencyModelPipeline");
    assertThat(json("unet/config.json").getInteger("time_cond_proj_dim")).isEqualTo(256);
    assertThat(json("unet/config.json").getInteger("sample_size")).isEqualTo(96);
    JsonObject scheduler = assertScheduler("LCMScheduler", null, 0);
    assertThat(scheduler.getInteger("original_inference_steps")).isEqualTo(50);
    assertThat(scheduler.getBoolean("set_alpha_to_one")).isTrue();
  }

  @Test
  @DisplayName("Turbo models ship trailing Euler (SD-Turbo) and Euler Ancestral (SDXL-Turbo)")
  void turboSchedulers() throws IOException {
    SdPipelineFolder.write(dir.resolve("sd"), SdVariant.optimum1_24(SD_TURBO));
    SdPipelineFolder.write(dir.resolve("xl"), SdVariant.optimum1_24(SDXL_TURBO));

    assertThat(json("sd/scheduler/scheduler_config.json").getString("_class_name"))
        .isEqualTo("EulerDiscreteScheduler");
    assertThat(json("sd/scheduler/scheduler_config.json").getString("timestep_spacing"))
        .isEqualTo("trailing");
    assertThat(json("xl/scheduler/scheduler_config.json").getString("_class_name"))
        .isEqualTo("EulerAncestralDiscreteScheduler");
    assertThat(json("xl/scheduler/scheduler_config.json").getString("timestep_spacing"))
        .isEqualTo("trailing");
  }

  @Test
  @DisplayName("SD 2.1 ships DDIM with v_prediction")
  void sd21Scheduler() throws IOException {
    SdPipelineFolder.write(dir, SdVariant.diffusersScriptInt64(SD21));

    assertScheduler("DDIMScheduler", null, 1);
    assertThat(json("scheduler/scheduler_config.json").getString("prediction_type"))
        .isEqualTo("v_prediction");
  }

  @Test
  @DisplayName("Olive: SD 1.5 saved like the diffusers script, SDXL like Optimum, both weights.pb")
  void oliveLayouts() throws IOException {
    SdPipelineFolder.write(dir.resolve("sd"), SdVariant.olive(SD15));
    SdPipelineFolder.write(dir.resolve("xl"), SdVariant.olive(SDXL));

    assertThat(files(dir.resolve("sd"))).containsExactlyElementsOf(SCRIPT_FILES);
    assertThat(files(dir.resolve("xl"))).contains("unet/weights.pb", "unet/config.json");
    assertThat(json("xl/model_index.json").getString("_class_name"))
        .isEqualTo("StableDiffusionXLPipeline");
  }

  @Test
  @DisplayName("Inline UNet weights write no data file; other names are honoured")
  void unetWeightsFiles() throws IOException {
    SdPipelineFolder.write(
        dir.resolve("a"), SdVariant.optimum1_24(SD15).withUnetWeights(WeightsFile.INLINE));
    SdPipelineFolder.write(
        dir.resolve("b"),
        SdVariant.optimum1_24(SD15).withUnetWeights(WeightsFile.MODEL_ONNX_DOT_DATA));

    assertThat(files(dir.resolve("a"))).filteredOn(f -> f.startsWith("unet/")).hasSize(2);
    assertThat(dir.resolve("b/unet/model.onnx.data")).isNotEmptyFile();
  }

  @Test
  @DisplayName("The tokenizer hook gets each tokenizer folder, already created")
  void tokenizerHook() throws IOException {
    List<String> calls = new ArrayList<>();
    TokenizerFiles files =
        (folder, family, index) -> {
          calls.add(dir.relativize(folder) + " " + family + " " + index);
          Files.writeString(folder.resolve("vocab.json"), "{}");
        };
    SdPipelineFolder.write(dir, SdVariant.optimum1_24(SDXL), files);

    assertThat(calls).containsExactly("tokenizer SDXL 1", "tokenizer_2 SDXL 2");
    assertThat(files(dir)).contains("tokenizer/vocab.json", "tokenizer_2/vocab.json");
  }

  private JsonObject assertScheduler(String className, String spacing, int stepsOffset)
      throws IOException {
    JsonObject scheduler = json("scheduler/scheduler_config.json");
    assertThat(scheduler.getString("_class_name")).isEqualTo(className);
    assertThat(scheduler.getString("timestep_spacing")).isEqualTo(spacing);
    assertThat(scheduler.getInteger("steps_offset")).isEqualTo(stepsOffset);
    assertThat(scheduler.getString("beta_schedule")).isEqualTo("scaled_linear");
    assertThat(scheduler.getDouble("beta_start")).isEqualTo(0.00085);
    assertThat(scheduler.getDouble("beta_end")).isEqualTo(0.012);
    assertThat(scheduler.getInteger("num_train_timesteps")).isEqualTo(1000);
    return scheduler;
  }

  private JsonObject json(String file) throws IOException {
    return new JsonObject(Files.readString(dir.resolve(file)));
  }

  /** Relative paths of the files under {@code root}, and of empty folders with a trailing "/". */
  private static List<String> files(Path root) throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      return all.filter(p -> !p.equals(root))
          .filter(p -> Files.isRegularFile(p) || isEmptyDirectory(p))
          .map(
              p ->
                  root.relativize(p).toString().replace('\\', '/')
                      + (Files.isDirectory(p) ? "/" : ""))
          .sorted()
          .toList();
    }
  }

  private static boolean isEmptyDirectory(Path p) {
    if (!Files.isDirectory(p)) {
      return false;
    }
    try (Stream<Path> children = Files.list(p)) {
      return children.findAny().isEmpty();
    } catch (IOException e) {
      return false;
    }
  }
}
