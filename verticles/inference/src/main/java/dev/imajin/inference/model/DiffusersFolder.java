package dev.imajin.inference.model;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Recognises a Stable Diffusion ONNX export without a manifest from its {@code model_index.json}:
 * Optimum folders (the diffusers class name, or {@code ORT...Pipeline}), and the legacy diffusers
 * script's ({@code OnnxStableDiffusionPipeline}, oldest {@code StableDiffusionOnnxPipeline}). The
 * id is the folder's path under its root; the family is inferred as {@link #family} describes.
 */
final class DiffusersFolder {
  static final List<String> COMPONENTS =
      List.of("text_encoder", "text_encoder_2", "unet", "vae_encoder", "vae_decoder");
  private static final List<String> REQUIRED = List.of("text_encoder", "unet", "vae_decoder");

  private DiffusersFolder() {}

  static ModelFolder.Loaded load(Path root, Path folder) {
    Path indexFile = folder.resolve(LayoutReader.INDEX);
    String pipeline = pipelineClass(indexFile, Json.read(indexFile));
    Map<String, Path> onnx = graphs(folder, pipeline);
    Path tokenizer = folder.resolve("tokenizer");
    if (!Files.isDirectory(tokenizer)) {
      throw new ModelException(tokenizer + ": is missing; the tokenizer folder is required");
    }
    Optional<Path> tokenizer2 =
        Optional.of(folder.resolve("tokenizer_2")).filter(Files::isDirectory);
    checkXl(folder, pipeline, onnx, tokenizer2);
    Map<String, JsonObject> configs = LayoutReader.configs(folder);
    DiffusionLayout.Kind kind =
        configs.isEmpty() ? DiffusionLayout.Kind.DIFFUSERS_ONNX : DiffusionLayout.Kind.OPTIMUM;
    Path scheduler = folder.resolve(LayoutReader.SCHEDULER_CONFIG);
    DiffusionLayout layout =
        LayoutReader.build(
            new LayoutReader.Parts(folder, kind, onnx, tokenizer, tokenizer2, scheduler), configs);
    return new ModelFolder.Loaded(entry(root, layout, onnx), Optional.of(layout));
  }

  private static ModelEntry entry(Path root, DiffusionLayout layout, Map<String, Path> onnx) {
    List<String> warnings = new ArrayList<>();
    String family = family(layout, warnings);
    warnings.addAll(layout.warnings());
    Map<String, ResolvedFile> files = files(layout.folder(), onnx);
    return new ModelEntry(
        inferId(root, layout.folder()),
        ModelTask.TEXT_TO_IMAGE,
        family,
        layout.folder(),
        ModelEntry.Source.DIFFUSERS,
        Optional.empty(),
        Optional.of(layout.tokenizer()),
        files,
        MemoryEstimate.estimate(files.values()),
        warnings);
  }

  /** The {@code <component>/model.onnx} graphs present; the required ones must be. */
  private static Map<String, Path> graphs(Path folder, String pipeline) {
    Map<String, Path> onnx = new LinkedHashMap<>();
    for (String component : COMPONENTS) {
      Path graph = folder.resolve(component).resolve("model.onnx");
      if (Files.isRegularFile(graph)) {
        onnx.put(component, graph);
      }
    }
    for (String component : REQUIRED) {
      if (!onnx.containsKey(component)) {
        throw missingGraph(folder, component, pipeline);
      }
    }
    return onnx;
  }

  /** An XL pipeline class or a second tokenizer calls for a second text encoder. */
  private static void checkXl(
      Path folder, String pipeline, Map<String, Path> onnx, Optional<Path> tokenizer2) {
    boolean xl = tokenizer2.isPresent() || pipeline.contains("XL");
    if (xl && !onnx.containsKey("text_encoder_2")) {
      throw new ModelException(
          folder.resolve("text_encoder_2/model.onnx")
              + ": is missing; an SDXL pipeline ("
              + pipeline
              + ") needs its second text encoder");
    }
  }

  private static String pipelineClass(Path indexFile, JsonObject index) {
    if (!(index.getValue("_class_name") instanceof String name) || !name.endsWith("Pipeline")) {
      throw new ModelException(
          indexFile
              + ": _class_name: expected the name of a diffusers pipeline, was "
              + index.getValue("_class_name"));
    }
    if (name.contains("StableDiffusion3") || name.contains("Flux")) {
      throw new ModelException(
          indexFile + ": " + name + " is a transformer pipeline; imajin runs UNet pipelines only");
    }
    return name;
  }

  private static ModelException missingGraph(Path folder, String component, String pipeline) {
    Path graph = folder.resolve(component).resolve("model.onnx");
    String hint = "";
    if (Files.isDirectory(graph.getParent()) && containsPyTorchWeights(graph.getParent())) {
      hint = " (this looks like a PyTorch diffusers folder; export it to ONNX with Optimum)";
    } else if (component.equals("unet") && Files.isDirectory(folder.resolve("transformer"))) {
      hint = " (" + pipeline + " uses a transformer; imajin runs UNet pipelines only)";
    }
    return new ModelException(graph + ": is missing" + hint);
  }

  private static boolean containsPyTorchWeights(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(p -> p.getFileName().toString())
          .anyMatch(n -> n.endsWith(".safetensors") || n.endsWith(".bin"));
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * LCM when the scheduler is {@code LCMScheduler} or the UNet has {@code time_cond_proj_dim} (an
   * LCM-SDXL is {@code lcm} with {@link DiffusionLayout#xl()} true); otherwise SDXL when there is a
   * second text encoder; otherwise SD 2 or SD 1 from the UNet's {@code cross_attention_dim}, the
   * text encoder's {@code hidden_size} or the tokenizer's pad token ({@code !} for SD 2's OpenCLIP
   * tokenizer). Turbo models cannot be told from their base model; a {@code trailing} scheduler
   * only earns a warning.
   */
  static String family(DiffusionLayout layout, List<String> warnings) {
    if ("trailing".equals(layout.schedulerConfig().getValue("timestep_spacing"))) {
      warnings.add(
          "the scheduler uses trailing timesteps, as SD-Turbo and SDXL-Turbo ship; a Turbo model"
              + " cannot be told from its base model, so name family sd-turbo in an"
              + " imajin-model.yaml if it is one");
    }
    if (layout.schedulerClass().equals("LCMScheduler")
        || layout.timeCondProjDim().isPresent()
        || layout.pipelineClass().contains("LatentConsistency")) {
      return ModelFamilies.LCM;
    }
    return layout.xl() ? ModelFamilies.STABLE_DIFFUSION_XL : sd1or2(layout, warnings);
  }

  private static String sd1or2(DiffusionLayout layout, List<String> warnings) {
    Optional<Integer> width =
        configInteger(layout, "unet", "cross_attention_dim")
            .or(() -> configInteger(layout, "text_encoder", "hidden_size"));
    if (width.isPresent() && (width.get() == 768 || width.get() == 1024)) {
      return width.get() == 1024
          ? ModelFamilies.STABLE_DIFFUSION_2
          : ModelFamilies.STABLE_DIFFUSION_1;
    }
    Optional<String> pad = padToken(layout.tokenizer());
    if (pad.isPresent() && (pad.get().equals("!") || pad.get().equals("<|endoftext|>"))) {
      return pad.get().equals("!")
          ? ModelFamilies.STABLE_DIFFUSION_2
          : ModelFamilies.STABLE_DIFFUSION_1;
    }
    warnings.add(
        "could not tell Stable Diffusion 1 from 2 (no unet or text_encoder config, no known pad"
            + " token); assumed stable-diffusion-1; name the family in an imajin-model.yaml");
    return ModelFamilies.STABLE_DIFFUSION_1;
  }

  private static Optional<Integer> configInteger(
      DiffusionLayout layout, String component, String key) {
    Path file = LayoutReader.configFile(layout.folder(), component);
    return layout.config(component).flatMap(config -> Json.integer(file, config, key));
  }

  private static Optional<String> padToken(Path tokenizer) {
    for (String name : List.of("special_tokens_map.json", "tokenizer_config.json")) {
      Optional<Object> pad =
          Json.readIfExists(tokenizer.resolve(name)).map(j -> j.getValue("pad_token"));
      if (pad.isPresent()) {
        Object value = pad.get();
        if (value instanceof JsonObject token) {
          value = token.getValue("content");
        }
        if (value instanceof String text) {
          return Optional.of(text);
        }
      }
    }
    return Optional.empty();
  }

  /** The graphs, their external data, configs, scheduler and tokenizer files, by role. */
  private static Map<String, ResolvedFile> files(Path folder, Map<String, Path> onnx) {
    Map<String, ResolvedFile> files = new LinkedHashMap<>();
    onnx.forEach(
        (component, graph) -> {
          put(files, folder, component, graph);
          MemoryEstimate.externalDataBeside(graph).forEach(data -> put(files, folder, null, data));
        });
    for (String component : LayoutReader.CONFIGURED) {
      Path config = LayoutReader.configFile(folder, component);
      if (Files.isRegularFile(config)) {
        put(files, folder, null, config);
      }
    }
    put(files, folder, null, folder.resolve(LayoutReader.SCHEDULER_CONFIG));
    for (String tokenizer : List.of("tokenizer", "tokenizer_2")) {
      Path dir = folder.resolve(tokenizer);
      if (Files.isDirectory(dir)) {
        regularFiles(dir).forEach(file -> put(files, folder, null, file));
      }
    }
    put(files, folder, null, folder.resolve(LayoutReader.INDEX));
    return files;
  }

  private static List<Path> regularFiles(Path dir) {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries
          .filter(p -> Files.isRegularFile(p) && !p.getFileName().toString().startsWith("."))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void put(Map<String, ResolvedFile> files, Path folder, String role, Path file) {
    String relative = ModelFolder.relative(folder, file);
    files.put(
        role == null ? relative : role,
        new ResolvedFile(
            role == null ? relative : role,
            relative,
            file,
            ModelFolder.size(file),
            Optional.empty()));
  }

  static String inferId(Path root, Path folder) {
    String relative = ModelFolder.relative(root, folder);
    String id = relative.isEmpty() ? folder.getFileName().toString() : relative;
    try {
      return ModelManifest.checkId(id);
    } catch (ModelException e) {
      throw new ModelException(
          folder
              + ": the folder's path '"
              + id
              + "' is not a valid model id ("
              + ModelManifest.ID_PATTERN.pattern()
              + "); rename it or add an imajin-model.yaml with an id");
    }
  }
}
