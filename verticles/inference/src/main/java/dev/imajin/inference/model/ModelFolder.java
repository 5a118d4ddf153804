package dev.imajin.inference.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/** Loads one model folder: by its manifest when it has one, else as a diffusers export. */
final class ModelFolder {
  private static final List<String> DIFFUSION_ROLES =
      List.of("text_encoder", "unet", "vae_decoder");

  /** What the scan keeps of a folder. */
  record Loaded(ModelEntry entry, Optional<DiffusionLayout> layout) {}

  private ModelFolder() {}

  static boolean looksLikeModel(Path dir) {
    return Files.isRegularFile(dir.resolve(ModelManifest.FILE_NAME))
        || Files.isRegularFile(dir.resolve(LayoutReader.INDEX));
  }

  static Loaded load(Path root, Path folder) {
    Path manifest = folder.resolve(ModelManifest.FILE_NAME);
    return Files.isRegularFile(manifest)
        ? fromManifest(folder, ModelManifest.read(manifest))
        : DiffusersFolder.load(root, folder);
  }

  private static Loaded fromManifest(Path folder, ModelManifest manifest) {
    Path file = folder.resolve(ModelManifest.FILE_NAME);
    List<String> warnings = new ArrayList<>();
    Map<String, ResolvedFile> files = new LinkedHashMap<>();
    manifest
        .files()
        .forEach((role, entry) -> files.put(role, resolve(file, folder, role, entry, warnings)));
    Optional<Path> tokenizer = manifest.tokenizer().map(folder::resolve);
    if (tokenizer.isPresent() && !Files.exists(tokenizer.get())) {
      throw new ModelException(
          file
              + ": tokenizer: "
              + manifest.tokenizer().get()
              + " does not exist ("
              + tokenizer.get()
              + ")");
    }
    unlistedWeights(folder, files, warnings);
    Optional<DiffusionLayout> layout = Optional.empty();
    if (manifest.task() == ModelTask.TEXT_TO_IMAGE) {
      layout = Optional.of(layout(file, folder, files, tokenizer));
      warnings.addAll(layout.get().warnings());
    }
    long memory = manifest.memoryBytes().orElseGet(() -> MemoryEstimate.estimate(files.values()));
    ModelEntry entry =
        new ModelEntry(
            manifest.id(),
            manifest.task(),
            manifest.family(),
            folder,
            ModelEntry.Source.MANIFEST,
            Optional.of(manifest),
            tokenizer,
            files,
            memory,
            warnings);
    return new Loaded(entry, layout);
  }

  private static ResolvedFile resolve(
      Path manifest, Path folder, String role, ModelFile entry, List<String> warnings) {
    Path path = folder.resolve(entry.path()).normalize();
    if (!Files.isRegularFile(path)) {
      throw new ModelException(
          manifest + ": files." + role + ": " + entry.path() + " does not exist (" + path + ")");
    }
    long size = size(path);
    if (entry.bytes().isPresent() && entry.bytes().getAsLong() != size) {
      throw new ModelException(
          manifest
              + ": files."
              + role
              + ": "
              + path
              + " has "
              + size
              + " bytes, the manifest says "
              + entry.bytes().getAsLong());
    }
    if (entry.sha256().isEmpty()) {
      warnings.add("files." + role + " (" + entry.path() + ") has no sha256; it is not checked");
    }
    return new ResolvedFile(role, entry.path(), path, size, entry.sha256());
  }

  private static void unlistedWeights(
      Path folder, Map<String, ResolvedFile> files, List<String> warnings) {
    List<Path> listed = files.values().stream().map(ResolvedFile::path).toList();
    MemoryEstimate.weights(files.values()).stream()
        .filter(p -> !listed.contains(p))
        .forEach(
            p ->
                warnings.add(
                    relative(folder, p)
                        + " holds external weights but is not listed in files; it is not checked"));
  }

  /**
   * A manifest's text-to-image layout: graphs by role ({@code text_encoder}, {@code unet}, {@code
   * vae_decoder}, optional {@code text_encoder_2} and {@code vae_encoder}), the scheduler config by
   * role {@code scheduler} or at its diffusers place, {@code tokenizer_2/} beside the manifest.
   */
  private static DiffusionLayout layout(
      Path manifest, Path folder, Map<String, ResolvedFile> files, Optional<Path> tokenizer) {
    List<String> missing =
        DIFFUSION_ROLES.stream().filter(r -> !files.containsKey(r)).collect(Collectors.toList());
    if (!missing.isEmpty()) {
      throw new ModelException(
          manifest
              + ": files: a text-to-image model needs the roles "
              + String.join(", ", DIFFUSION_ROLES)
              + "; missing: "
              + String.join(", ", missing));
    }
    if (tokenizer.isEmpty()) {
      throw new ModelException(manifest + ": tokenizer: is required for a text-to-image model");
    }
    Map<String, Path> onnx = new LinkedHashMap<>();
    for (String component : DiffusersFolder.COMPONENTS) {
      Optional.ofNullable(files.get(component)).ifPresent(f -> onnx.put(component, f.path()));
    }
    Path scheduler =
        Optional.ofNullable(files.get("scheduler"))
            .map(ResolvedFile::path)
            .orElse(folder.resolve(LayoutReader.SCHEDULER_CONFIG));
    return LayoutReader.build(
        new LayoutReader.Parts(
            folder,
            DiffusionLayout.Kind.MANIFEST,
            onnx,
            tokenizer.get(),
            Optional.of(folder.resolve("tokenizer_2")).filter(Files::isDirectory),
            scheduler),
        LayoutReader.configs(folder));
  }

  static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new ModelException(file + ": cannot be read: " + e.getMessage(), e);
    }
  }

  /** {@code file} relative to {@code folder}, {@code /}-separated; empty for the folder itself. */
  static String relative(Path folder, Path file) {
    return StreamSupport.stream(folder.relativize(file).spliterator(), false)
        .map(Path::toString)
        .filter(s -> !s.isEmpty())
        .collect(Collectors.joining("/"));
  }
}
