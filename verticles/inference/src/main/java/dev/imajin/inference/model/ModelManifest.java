package dev.imajin.inference.model;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * The manifest {@code imajin-model.yaml} of a model folder, as typed values. {@link #read} parses
 * one; the compact constructor checks what it can without the file system (ids, paths, digests).
 * Keys are snake_case and unknown keys are refused; the package documentation has an example.
 *
 * @param files role (such as {@code unet} or {@code model}) to file; never empty
 * @param tokenizer a tokenizer folder or file, relative to the model folder
 * @param memoryBytes what the model needs on its device when loaded; when absent the registry
 *     estimates it from the file sizes ({@link ModelRegistry#MEMORY_FACTOR})
 */
public record ModelManifest(
    String id,
    ModelTask task,
    String family,
    Map<String, ModelFile> files,
    Optional<String> tokenizer,
    ModelParameters preprocess,
    ModelParameters postprocess,
    List<String> labels,
    Map<String, Double> thresholds,
    String license,
    Optional<String> description,
    OptionalLong memoryBytes) {

  public static final String FILE_NAME = "imajin-model.yaml";
  public static final Pattern ID_PATTERN = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._/-]{0,127}$");
  public static final Pattern FAMILY_PATTERN = Pattern.compile("^[a-z0-9][a-z0-9._-]{0,63}$");
  static final Pattern ROLE_PATTERN = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._/-]{0,127}$");

  public ModelManifest {
    id = checkId(id);
    Objects.requireNonNull(task, "task");
    if (family == null || !FAMILY_PATTERN.matcher(family).matches()) {
      throw new ModelException(
          "family: must match " + FAMILY_PATTERN.pattern() + ", was '" + family + "'");
    }
    if (files == null || files.isEmpty()) {
      throw new ModelException("files: must name at least one file");
    }
    files.keySet().forEach(ModelManifest::checkRole);
    files = Map.copyOf(files);
    tokenizer = tokenizer.map(t -> ModelFile.relativePath("tokenizer", t));
    labels = List.copyOf(labels);
    thresholds = Map.copyOf(thresholds);
    if (license == null || license.isBlank()) {
      throw new ModelException("license: must not be empty (an SPDX id such as Apache-2.0)");
    }
    if (memoryBytes.isPresent() && memoryBytes.getAsLong() <= 0) {
      throw new ModelException("memory_bytes: must be positive, was " + memoryBytes.getAsLong());
    }
  }

  /**
   * Reads and checks a manifest file.
   *
   * @throws ModelException naming the file and the key of the first problem
   */
  public static ModelManifest read(Path file) {
    return ManifestReader.read(file);
  }

  /** Checks a model id against {@link #ID_PATTERN}. */
  public static String checkId(String id) {
    if (id == null || !ID_PATTERN.matcher(id).matches()) {
      throw new ModelException("id: must match " + ID_PATTERN.pattern() + ", was '" + id + "'");
    }
    return id;
  }

  private static void checkRole(String role) {
    if (!ROLE_PATTERN.matcher(role).matches()) {
      throw new ModelException(
          "files: role must match " + ROLE_PATTERN.pattern() + ", was '" + role + "'");
    }
  }
}
