package dev.imajin.inference.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DiffusersFolderTest {
  private static final String NO_SCALING_FACTOR_SD =
      "no scaling_factor in vae_decoder/config.json, vae_encoder/config.json or vae/config.json;"
          + " using 0.18215, the Stable Diffusion 1 and 2 value";

  @TempDir Path root;

  private ModelRegistry scan() {
    return ModelRegistry.scan(List.of(root));
  }

  private static long estimate(long weightBytes) {
    return (long) Math.ceil(weightBytes * ModelRegistry.MEMORY_FACTOR);
  }

  @Test
  @DisplayName("An Optimum SD 1.5 folder is recognised with its components and configs")
  void optimumSd15() {
    Path folder = Folders.optimumSd15(root.resolve("sd15-onnx"));

    ModelRegistry registry = scan();

    assertThat(registry.problems()).isEmpty();
    ModelEntry entry = registry.require("sd15-onnx");
    assertThat(entry.task()).isEqualTo(ModelTask.TEXT_TO_IMAGE);
    assertThat(entry.family()).isEqualTo(ModelFamilies.STABLE_DIFFUSION_1);
    assertThat(entry.source()).isEqualTo(ModelEntry.Source.DIFFUSERS);
    assertThat(entry.manifest()).isEmpty();
    assertThat(entry.tokenizer()).hasValue(folder.resolve("tokenizer"));
    assertThat(entry.files().keySet())
        .containsExactly(
            "text_encoder",
            "unet",
            "unet/model.onnx_data",
            "vae_encoder",
            "vae_decoder",
            "text_encoder/config.json",
            "unet/config.json",
            "vae_encoder/config.json",
            "vae_decoder/config.json",
            "scheduler/scheduler_config.json",
            "tokenizer/merges.txt",
            "tokenizer/special_tokens_map.json",
            "tokenizer/vocab.json",
            "model_index.json");
    assertThat(entry.requireFile("unet").path()).isEqualTo(folder.resolve("unet/model.onnx"));
    assertThat(entry.requireFile("unet/model.onnx_data").bytes()).isEqualTo(30000);
    assertThat(entry.memoryBytes()).isEqualTo(estimate(1000 + 2000 + 30000 + 500 + 600));
    assertThat(entry.warnings()).isEmpty();

    DiffusionLayout layout = registry.layout(entry);
    assertThat(layout.kind()).isEqualTo(DiffusionLayout.Kind.OPTIMUM);
    assertThat(layout.pipelineClass()).isEqualTo("StableDiffusionPipeline");
    assertThat(layout.textEncoder()).isEqualTo(folder.resolve("text_encoder/model.onnx"));
    assertThat(layout.textEncoder2()).isEmpty();
    assertThat(layout.unet()).isEqualTo(folder.resolve("unet/model.onnx"));
    assertThat(layout.vaeEncoder()).hasValue(folder.resolve("vae_encoder/model.onnx"));
    assertThat(layout.vaeDecoder()).isEqualTo(folder.resolve("vae_decoder/model.onnx"));
    assertThat(layout.tokenizer()).isEqualTo(folder.resolve("tokenizer"));
    assertThat(layout.tokenizer2()).isEmpty();
    assertThat(layout.xl()).isFalse();
    assertThat(layout.schedulerClass()).isEqualTo("PNDMScheduler");
    assertThat(layout.schedulerConfig().getInteger("steps_offset")).isEqualTo(1);
    assertThat(layout.predictionType()).isEqualTo("epsilon");
    assertThat(layout.configs())
        .containsOnlyKeys("text_encoder", "unet", "vae_encoder", "vae_decoder");
    assertThat(layout.scalingFactor()).isEqualTo(0.18215);
    assertThat(layout.sampleSize()).isEqualTo(64);
    assertThat(layout.defaultImageSize()).isEqualTo(512);
    assertThat(layout.forceZerosForEmptyPrompt()).isFalse();
    assertThat(layout.timeCondProjDim()).isEmpty();
    assertThat(layout.warnings()).isEmpty();
    assertThat(registry.verify(entry)).isSameAs(entry);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "OnnxStableDiffusionPipeline",
        "StableDiffusionOnnxPipeline",
        "ORTStableDiffusionPipeline"
      })
  @DisplayName("A legacy export without configs is recognised; weights.pb counts; guesses are said")
  void legacyWithoutConfigs(String className) {
    Path folder = Folders.legacy(root.resolve("legacy"), className);

    ModelRegistry registry = scan();

    assertThat(registry.problems()).isEmpty();
    ModelEntry entry = registry.require("legacy");
    assertThat(entry.family()).isEqualTo(ModelFamilies.STABLE_DIFFUSION_1);
    assertThat(entry.files()).containsKey("unet/weights.pb").doesNotContainKey("safety_checker");
    assertThat(entry.memoryBytes()).isEqualTo(estimate(1000 + 2000 + 40000 + 500 + 600));
    DiffusionLayout layout = registry.layout(entry);
    assertThat(layout.kind()).isEqualTo(DiffusionLayout.Kind.DIFFUSERS_ONNX);
    assertThat(layout.pipelineClass()).isEqualTo(className);
    assertThat(layout.configs()).isEmpty();
    assertThat(layout.unet()).isEqualTo(folder.resolve("unet/model.onnx"));
    assertThat(layout.scalingFactor()).isEqualTo(0.18215);
    assertThat(layout.sampleSize()).isEqualTo(64);
    assertThat(layout.warnings())
        .containsExactly(
            NO_SCALING_FACTOR_SD,
            "no sample_size in unet/config.json; using 64 (images of 512 pixels by default)");
    assertThat(entry.warnings()).containsAll(layout.warnings());
  }

  @Test
  @DisplayName("SD 2 is told from SD 1 by the UNet's cross-attention width or the pad token")
  void sd2() {
    Folders.legacy(root.resolve("sd2-legacy"), "OnnxStableDiffusionPipeline");
    Folders.tokenizer(root.resolve("sd2-legacy/tokenizer"), "!");
    Path optimum = Folders.optimumSd15(root.resolve("sd21"));
    Folders.json(
        optimum.resolve("unet/config.json"),
        new JsonObject().put("sample_size", 96).put("cross_attention_dim", 1024));
    Folders.json(
        optimum.resolve("scheduler/scheduler_config.json"),
        Folders.scheduler("DDIMScheduler").put("prediction_type", "v_prediction"));
    Path unknown = Folders.legacy(root.resolve("unknown"), "OnnxStableDiffusionPipeline");
    Folders.json(unknown.resolve("tokenizer/special_tokens_map.json"), new JsonObject());

    ModelRegistry registry = scan();

    assertThat(registry.require("sd2-legacy").family()).isEqualTo(ModelFamilies.STABLE_DIFFUSION_2);
    ModelEntry sd21 = registry.require("sd21");
    assertThat(sd21.family()).isEqualTo(ModelFamilies.STABLE_DIFFUSION_2);
    assertThat(registry.layout(sd21).predictionType()).isEqualTo("v_prediction");
    assertThat(registry.layout(sd21).defaultImageSize()).isEqualTo(768);
    ModelEntry guessed = registry.require("unknown");
    assertThat(guessed.family()).isEqualTo(ModelFamilies.STABLE_DIFFUSION_1);
    assertThat(guessed.warnings())
        .anyMatch(w -> w.startsWith("could not tell Stable Diffusion 1 from 2"));
  }

  @Test
  @DisplayName("An SDXL folder has two text encoders, zeros for the empty prompt and 0.13025")
  void sdxl() {
    Path folder = Folders.sdxl(root.resolve("sdxl"), "StableDiffusionXLPipeline");

    ModelRegistry registry = scan();

    ModelEntry entry = registry.require("sdxl");
    assertThat(entry.family()).isEqualTo(ModelFamilies.STABLE_DIFFUSION_XL);
    assertThat(entry.memoryBytes()).isEqualTo(estimate(1000 + 1100 + 5000 + 2000 + 60000 + 600));
    DiffusionLayout layout = registry.layout(entry);
    assertThat(layout.xl()).isTrue();
    assertThat(layout.textEncoder2()).hasValue(folder.resolve("text_encoder_2/model.onnx"));
    assertThat(layout.tokenizer2()).hasValue(folder.resolve("tokenizer_2"));
    assertThat(layout.vaeEncoder()).isEmpty();
    assertThat(layout.forceZerosForEmptyPrompt()).isTrue();
    assertThat(layout.scalingFactor()).isEqualTo(0.13025);
    assertThat(layout.defaultImageSize()).isEqualTo(1024);
    assertThat(layout.warnings()).isEmpty();
  }

  @Test
  @DisplayName("An SDXL folder without a scaling factor uses 0.13025 and says so")
  void sdxlDefaultScalingFactor() {
    Path folder = Folders.sdxl(root.resolve("sdxl"), "ORTStableDiffusionXLPipeline");
    Folders.json(folder.resolve("vae_decoder/config.json"), new JsonObject());
    Folders.json(folder.resolve("model_index.json"), Folders.index("ORTStableDiffusionXLPipeline"));

    DiffusionLayout layout = scan().layout(scan().require("sdxl"));

    assertThat(layout.scalingFactor()).isEqualTo(0.13025);
    assertThat(layout.forceZerosForEmptyPrompt()).isTrue();
    assertThat(layout.warnings())
        .containsExactly(
            "no scaling_factor in vae_decoder/config.json, vae_encoder/config.json or"
                + " vae/config.json; using 0.13025, the SDXL value");
  }

  @Test
  @DisplayName("SDXL without its second text encoder or tokenizer is refused, naming the file")
  void xlWithoutSecondEncoder() throws Exception {
    Path encoder = Folders.sdxl(root.resolve("no-encoder"), "ORTStableDiffusionXLPipeline");
    Files.delete(encoder.resolve("text_encoder_2/model.onnx"));
    Path tokenizer = Folders.sdxl(root.resolve("no-tokenizer"), "StableDiffusionXLPipeline");
    for (String name : List.of("vocab.json", "merges.txt", "special_tokens_map.json")) {
      Files.delete(tokenizer.resolve("tokenizer_2").resolve(name));
    }
    Files.delete(tokenizer.resolve("tokenizer_2"));

    ModelRegistry registry = scan();

    assertThat(registry.models()).isEmpty();
    assertThat(registry.problems())
        .containsExactly(
            encoder.resolve("text_encoder_2/model.onnx")
                + ": is missing; an SDXL pipeline (ORTStableDiffusionXLPipeline) needs its second"
                + " text encoder",
            tokenizer.resolve("tokenizer_2")
                + ": is missing; an SDXL model needs its second tokenizer");
  }

  @Test
  @DisplayName("LCM is recognised from its scheduler or from the UNet's time_cond_proj_dim")
  void lcm() {
    Path byScheduler = Folders.optimumSd15(root.resolve("lcm-scheduler"));
    Folders.json(
        byScheduler.resolve("scheduler/scheduler_config.json"),
        Folders.scheduler("LCMScheduler").put("original_inference_steps", 50));
    Path byUnet = Folders.optimumSd15(root.resolve("lcm-unet"));
    Folders.json(
        byUnet.resolve("unet/config.json"),
        new JsonObject()
            .put("sample_size", 96)
            .put("cross_attention_dim", 768)
            .put("time_cond_proj_dim", 256));
    Folders.json(
        byUnet.resolve("model_index.json"), Folders.index("LatentConsistencyModelPipeline"));

    ModelRegistry registry = scan();

    assertThat(registry.require("lcm-scheduler").family()).isEqualTo(ModelFamilies.LCM);
    ModelEntry lcm = registry.require("lcm-unet");
    assertThat(lcm.family()).isEqualTo(ModelFamilies.LCM);
    assertThat(registry.layout(lcm).timeCondProjDim()).hasValue(256);
    assertThat(registry.layout(lcm).defaultImageSize()).isEqualTo(768);
  }

  @Test
  @DisplayName("A trailing scheduler earns a Turbo warning; the family stays the base model's")
  void turboCannotBeTold() {
    Path folder = Folders.optimumSd15(root.resolve("maybe-turbo"));
    Folders.json(
        folder.resolve("scheduler/scheduler_config.json"),
        Folders.scheduler("EulerDiscreteScheduler").put("timestep_spacing", "trailing"));

    ModelEntry entry = scan().require("maybe-turbo");

    assertThat(entry.family()).isEqualTo(ModelFamilies.STABLE_DIFFUSION_1);
    assertThat(entry.warnings()).anyMatch(w -> w.contains("name family sd-turbo"));
  }

  @Test
  @DisplayName("The scaling factor is read from the VAE encoder, then vae/, never Optimum's 8")
  void scalingFactorSources() throws Exception {
    Path encoder = Folders.optimumSd15(root.resolve("from-encoder"));
    Folders.json(
        encoder.resolve("vae_decoder/config.json"), new JsonObject().put("sample_size", 512));
    Folders.json(encoder.resolve("vae_encoder/config.json"), Folders.vae(0.5));
    Path vae = Folders.optimumSd15(root.resolve("from-vae"));
    Files.delete(vae.resolve("vae_decoder/config.json"));
    Files.delete(vae.resolve("vae_encoder/config.json"));
    Folders.json(vae.resolve("vae/config.json"), Folders.vae(0.25));
    Path blocksOnly = Folders.optimumSd15(root.resolve("blocks-only"));
    Folders.json(
        blocksOnly.resolve("vae_decoder/config.json"),
        Folders.vae(0).put("scaling_factor", (Object) null));
    Folders.json(
        blocksOnly.resolve("vae_encoder/config.json"),
        Folders.vae(0).put("scaling_factor", (Object) null));

    ModelRegistry registry = scan();

    assertThat(registry.layout(registry.require("from-encoder")).scalingFactor()).isEqualTo(0.5);
    assertThat(registry.layout(registry.require("from-vae")).scalingFactor()).isEqualTo(0.25);
    assertThat(registry.require("from-vae").files()).containsKey("vae/config.json");
    DiffusionLayout fallback = registry.layout(registry.require("blocks-only"));
    assertThat(fallback.scalingFactor()).isEqualTo(0.18215);
    assertThat(fallback.warnings()).containsExactly(NO_SCALING_FACTOR_SD);
  }

  @Test
  @DisplayName("A bad scaling factor or sample size is refused, naming the config file")
  void badConfigValues() {
    Path scaling = Folders.optimumSd15(root.resolve("bad-scaling"));
    Folders.json(scaling.resolve("vae_decoder/config.json"), Folders.vae(-1));
    Path sample = Folders.optimumSd15(root.resolve("bad-sample"));
    Folders.json(sample.resolve("unet/config.json"), new JsonObject().put("sample_size", "big"));

    ModelRegistry registry = scan();

    assertThat(registry.models()).isEmpty();
    assertThat(registry.problems())
        .containsExactly(
            sample.resolve("unet/config.json")
                + ": sample_size: expected a positive whole number, was big",
            scaling.resolve("vae_decoder/config.json")
                + ": scaling_factor: expected a positive number, was -1.0");
  }

  @Test
  @DisplayName("Folders that cannot run are refused with the file and a hint")
  void refusedFolders() throws Exception {
    Path pytorch = root.resolve("pytorch");
    Folders.json(pytorch.resolve("model_index.json"), Folders.index("StableDiffusionPipeline"));
    Folders.dummy(pytorch.resolve("text_encoder/model.safetensors"), 10);
    Path sd3 = root.resolve("sd3");
    Folders.json(sd3.resolve("model_index.json"), Folders.index("StableDiffusion3Pipeline"));
    Path noScheduler = Folders.optimumSd15(root.resolve("no-scheduler"));
    Files.delete(noScheduler.resolve("scheduler/scheduler_config.json"));
    Path badName = Folders.optimumSd15(root.resolve("my model"));
    Path notPipeline = root.resolve("not-pipeline");
    Folders.json(notPipeline.resolve("model_index.json"), new JsonObject().put("_class_name", 3));

    ModelRegistry registry = scan();

    assertThat(registry.models()).isEmpty();
    assertThat(registry.problems())
        .containsExactly(
            badName
                + ": the folder's path 'my model' is not a valid model id"
                + " (^[A-Za-z0-9][A-Za-z0-9._/-]{0,127}$); rename it or add an imajin-model.yaml"
                + " with an id",
            noScheduler.resolve("scheduler/scheduler_config.json")
                + ": is missing; the scheduler's configuration is required",
            notPipeline.resolve("model_index.json")
                + ": _class_name: expected the name of a diffusers pipeline, was 3",
            pytorch.resolve("text_encoder/model.onnx")
                + ": is missing (this looks like a PyTorch diffusers folder; export it to ONNX with"
                + " Optimum)",
            sd3.resolve("model_index.json")
                + ": StableDiffusion3Pipeline is a transformer pipeline; imajin runs UNet pipelines"
                + " only");
  }

  @Test
  @DisplayName("A text-to-image manifest names its components by role")
  void manifestLayout() {
    Path folder = Folders.optimumSd15(root.resolve("starter"));
    Folders.write(
        folder.resolve(ModelManifest.FILE_NAME),
        """
        id: starter/diffusion-64
        task: text-to-image
        family: starter
        license: Apache-2.0
        tokenizer: tokenizer
        files:
          text_encoder: {path: text_encoder/model.onnx, sha256: %s}
          unet: {path: unet/model.onnx}
          unet_data: {path: unet/model.onnx_data}
          vae_decoder: {path: vae_decoder/model.onnx}
        """
            .formatted(Folders.sha256(folder.resolve("text_encoder/model.onnx"))));

    ModelRegistry registry = scan();

    ModelEntry entry = registry.require("starter/diffusion-64");
    assertThat(entry.source()).isEqualTo(ModelEntry.Source.MANIFEST);
    assertThat(entry.family()).isEqualTo(ModelFamilies.STARTER);
    assertThat(entry.memoryBytes()).isEqualTo(estimate(1000 + 2000 + 30000 + 600));
    DiffusionLayout layout = registry.layout(entry);
    assertThat(layout.kind()).isEqualTo(DiffusionLayout.Kind.MANIFEST);
    assertThat(layout.unet()).isEqualTo(folder.resolve("unet/model.onnx"));
    assertThat(layout.vaeEncoder()).isEmpty();
    assertThat(layout.tokenizer()).isEqualTo(folder.resolve("tokenizer"));
    assertThat(layout.scalingFactor()).isEqualTo(0.18215);
    assertThat(layout.sampleSize()).isEqualTo(64);
    assertThat(layout.pipelineClass()).isEqualTo("StableDiffusionPipeline");
    assertThat(registry.verify(entry)).isSameAs(entry);
  }

  @Test
  @DisplayName("A text-to-image manifest without a UNet is refused, naming the missing role")
  void manifestLayoutMissingRole() {
    Path folder = Folders.optimumSd15(root.resolve("starter"));
    Folders.write(
        folder.resolve(ModelManifest.FILE_NAME),
        """
        id: starter
        task: text-to-image
        family: starter
        license: Apache-2.0
        tokenizer: tokenizer
        files:
          text_encoder: {path: text_encoder/model.onnx}
          vae_decoder: {path: vae_decoder/model.onnx}
        """);

    ModelRegistry registry = scan();

    assertThat(registry.problems())
        .containsExactly(
            folder.resolve(ModelManifest.FILE_NAME)
                + ": files: a text-to-image model needs the roles text_encoder, unet, vae_decoder;"
                + " missing: unet");
    assertThat(registry.find("starter")).isEqualTo(Optional.empty());
  }
}
