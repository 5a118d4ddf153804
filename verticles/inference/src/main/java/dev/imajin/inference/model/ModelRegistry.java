package dev.imajin.inference.model;

import dev.imajin.contracts.ImajinException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The models under the configured roots. A model is a folder, at most {@link #MAX_DEPTH} levels
 * under a root (or the root itself), holding an {@code imajin-model.yaml} or, for Stable Diffusion
 * exports without one, a {@code model_index.json}; the scan does not look inside a model folder for
 * more models, and skips hidden folders. A folder that looks like a model but cannot be used is
 * left out and listed in {@link #problems()}; it never stops the scan of the others.
 *
 * <p>The registry is immutable once scanned and safe to share between threads. {@link #scan} and
 * {@link #verify} read the file system and block: call them at start-up or on a worker.
 */
public final class ModelRegistry {
  /** How deep under a root a model folder may sit. */
  public static final int MAX_DEPTH = 4;

  /**
   * What a loaded model needs on its device, as a multiple of its weights on disk (ONNX graphs and
   * their external data) when the manifest gives no {@code memory_bytes}: the session holds the
   * weights once, and activations, the CUDA memory arena and cuDNN workspaces add about half again
   * at default sizes. A guess for leasing; measure and write {@code memory_bytes} for big models.
   */
  public static final double MEMORY_FACTOR = 1.5;

  private final List<Path> roots;
  private final Map<String, ModelFolder.Loaded> models;
  private final List<String> problems;
  private final FileHasher hasher = new FileHasher();

  private ModelRegistry(
      List<Path> roots, Map<String, ModelFolder.Loaded> models, List<String> problems) {
    this.roots = List.copyOf(roots);
    this.models = Collections.unmodifiableMap(new TreeMap<>(models));
    this.problems = List.copyOf(problems);
  }

  /**
   * Scans the roots, in order; when two folders claim one id, the first found keeps it and the
   * other is a problem. A root that does not exist is a problem too.
   */
  public static ModelRegistry scan(List<Path> roots) {
    RegistryScan scan = new RegistryScan();
    List<Path> absolute = roots.stream().map(r -> r.toAbsolutePath().normalize()).toList();
    absolute.forEach(scan::root);
    return new ModelRegistry(absolute, scan.models(), scan.problems());
  }

  public List<Path> roots() {
    return roots;
  }

  /** Every model, sorted by id. */
  public List<ModelEntry> models() {
    return models.values().stream().map(ModelFolder.Loaded::entry).toList();
  }

  public Optional<ModelEntry> find(String id) {
    return Optional.ofNullable(models.get(id)).map(ModelFolder.Loaded::entry);
  }

  /**
   * The model with this id.
   *
   * @throws ImajinException {@code NOT_FOUND} when there is none
   */
  public ModelEntry require(String id) {
    return find(id).orElseThrow(() -> ImajinException.notFound("model", id));
  }

  /** Folders that looked like models but were refused, each with the file and the reason. */
  public List<String> problems() {
    return problems;
  }

  /**
   * The component paths and configuration of a text-to-image model.
   *
   * @throws ModelException when the model is not a text-to-image model
   * @throws ImajinException {@code NOT_FOUND} when the registry does not hold it
   */
  public DiffusionLayout layout(ModelEntry entry) {
    ModelFolder.Loaded loaded = models.get(entry.id());
    if (loaded == null || !loaded.entry().folder().equals(entry.folder())) {
      throw ImajinException.notFound("model", entry.id());
    }
    return loaded
        .layout()
        .orElseThrow(
            () ->
                new ModelException(
                    "model '" + entry.id() + "' is " + entry.task() + ", not text-to-image"));
  }

  /**
   * Checks that every file of the model is still there with the size the scan saw and, where the
   * manifest pins one, the right SHA-256. Files are hashed as streams; digests are cached by path,
   * size and modification time, so a second check of unchanged files is cheap. Blocking.
   *
   * @return the entry, for chaining
   * @throws ModelException naming the first missing, changed or corrupt file
   */
  public ModelEntry verify(ModelEntry entry) {
    for (ResolvedFile file : entry.files().values()) {
      verify(entry, file);
    }
    Optional<Path> tokenizer = entry.tokenizer();
    if (tokenizer.isPresent() && !Files.exists(tokenizer.get())) {
      throw new ModelException(
          "model '" + entry.id() + "': tokenizer is missing: " + tokenizer.get());
    }
    return entry;
  }

  /**
   * The SHA-256 of one file of a model, read from disk (or the cache {@link #verify} fills), for
   * reporting what ran. Blocking.
   *
   * @throws ModelException naming the file when it cannot be read
   */
  public String sha256(ResolvedFile file) {
    try {
      return hasher.sha256(file.path());
    } catch (IOException e) {
      throw new ModelException(file.path() + ": cannot be read: " + e.getMessage(), e);
    }
  }

  private void verify(ModelEntry entry, ResolvedFile file) {
    String what =
        "model '"
            + entry.id()
            + "': file "
            + file.relativePath()
            + (file.role().equals(file.relativePath()) ? "" : " (" + file.role() + ")");
    if (!Files.isRegularFile(file.path())) {
      throw new ModelException(what + " is missing: " + file.path());
    }
    long size = ModelFolder.size(file.path());
    if (size != file.bytes()) {
      throw new ModelException(
          what
              + " changed since the scan: "
              + file.path()
              + " has "
              + size
              + " bytes, was "
              + file.bytes());
    }
    if (file.sha256().isPresent()) {
      String actual;
      try {
        actual = hasher.sha256(file.path());
      } catch (IOException e) {
        throw new ModelException(
            what + " cannot be read: " + file.path() + ": " + e.getMessage(), e);
      }
      if (!actual.equals(file.sha256().get())) {
        throw new ModelException(
            what
                + " does not match its sha256: "
                + file.path()
                + " hashes to "
                + actual
                + ", the manifest says "
                + file.sha256().get());
      }
    }
  }

  // VisibleForTesting
  FileHasher hasher() {
    return hasher;
  }
}
