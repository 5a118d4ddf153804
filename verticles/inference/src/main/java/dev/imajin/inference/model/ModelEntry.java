package dev.imajin.inference.model;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A model the registry found: what it is, where its files are, and what it needs on a device.
 *
 * @param source how the folder was recognised
 * @param manifest the parsed {@code imajin-model.yaml}; empty for a diffusers folder without one
 * @param tokenizer the tokenizer folder or file, when the model has one
 * @param files by role, in the manifest's order (diffusers folders: components first)
 * @param memoryBytes the manifest's {@code memory_bytes}, else {@link ModelRegistry#MEMORY_FACTOR}
 *     times the bytes of the ONNX graphs and their external data
 * @param warnings what the scan had to guess, for operators
 */
public record ModelEntry(
    String id,
    ModelTask task,
    String family,
    Path folder,
    Source source,
    Optional<ModelManifest> manifest,
    Optional<Path> tokenizer,
    Map<String, ResolvedFile> files,
    long memoryBytes,
    List<String> warnings) {

  public enum Source {
    /** A folder with {@code imajin-model.yaml}. */
    MANIFEST,
    /** A diffusers or Optimum ONNX folder recognised from its {@code model_index.json}. */
    DIFFUSERS
  }

  public ModelEntry {
    files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
    warnings = List.copyOf(warnings);
  }

  public Optional<ResolvedFile> file(String role) {
    return Optional.ofNullable(files.get(role));
  }

  /**
   * The file with this role.
   *
   * @throws ModelException naming the model and the roles it has
   */
  public ResolvedFile requireFile(String role) {
    return file(role)
        .orElseThrow(
            () ->
                new ModelException(
                    "model '"
                        + id
                        + "' ("
                        + folder
                        + ") has no file with role '"
                        + role
                        + "'; roles: "
                        + files.keySet().stream().collect(Collectors.joining(", "))));
  }

  /** The bytes of all its files on disk. */
  public long totalBytes() {
    return files.values().stream().mapToLong(ResolvedFile::bytes).sum();
  }
}
