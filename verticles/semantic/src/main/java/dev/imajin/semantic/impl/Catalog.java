package dev.imajin.semantic.impl;

import dev.imajin.contracts.ErrorType;
import dev.imajin.contracts.ImajinException;
import dev.imajin.contracts.common.FieldError;
import dev.imajin.inference.model.ModelEntry;
import dev.imajin.inference.model.ModelException;
import dev.imajin.inference.model.ModelRegistry;
import dev.imajin.inference.model.ModelTask;
import dev.imajin.inference.model.Rescans;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.io.File;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The image-text-similarity models of the registry, each with its {@link Profile}. The roots are
 * scanned at start; a request for a model the last scan did not have (or, with none installed, for
 * the default) scans them again, at most every {@link #RESCAN_MIN_INTERVAL_MS}, so a folder added
 * while the service runs is found when first asked for.
 *
 * <p>Requests that name no model get {@code semantic.default-model}; when that model is not
 * installed (or the key is empty), the first image-text-similarity model by id. A named model that
 * does not exist, is of another task, or was refused answers 422 naming {@code /model}; no model at
 * all answers 503.
 */
final class Catalog {
  static final long RESCAN_MIN_INTERVAL_MS = 2_000;
  static final String SERVICE = "semantic";
  private static final Logger LOG = LoggerFactory.getLogger(Catalog.class);

  /** A usable model. */
  record Model(ModelEntry entry, Profile profile) {
    String id() {
      return entry.id();
    }
  }

  /** One scan: usable models by id, and refused ones with the reason. */
  private record Snapshot(
      ModelRegistry registry, Map<String, Model> models, Map<String, String> refused) {}

  private final Rescans<Snapshot> scans;
  private final String defaultModel;

  private Catalog(WorkerExecutor io, List<Path> roots, String defaultModel, Snapshot first) {
    this.defaultModel = defaultModel;
    this.scans = new Rescans<>(io, () -> build(roots), RESCAN_MIN_INTERVAL_MS, first);
  }

  /** Scans the roots on {@code io} and logs what it found. */
  static Future<Catalog> scan(WorkerExecutor io, List<Path> roots, String defaultModel) {
    return io.executeBlocking(() -> build(roots), false)
        .map(
            first -> {
              LOG.info(
                  "semantic models under {}: {}{}",
                  first.registry().roots(),
                  first.models().keySet(),
                  first.refused().isEmpty() ? "" : "; refused: " + first.refused());
              if (!defaultModel.isEmpty()
                  && !first.models().containsKey(defaultModel)
                  && !first.models().isEmpty()) {
                LOG.warn(
                    "semantic.default-model {} is not installed; requests that name no model get {}",
                    defaultModel,
                    first.models().keySet().iterator().next());
              }
              return new Catalog(io, roots, defaultModel, first);
            });
  }

  private static Snapshot build(List<Path> roots) {
    ModelRegistry registry = ModelRegistry.scan(roots);
    Map<String, Model> models = new LinkedHashMap<>();
    Map<String, String> refused = new LinkedHashMap<>();
    for (ModelEntry entry : registry.models()) {
      if (entry.task() == ModelTask.IMAGE_TEXT_SIMILARITY) {
        try {
          models.put(entry.id(), new Model(entry, Profile.of(entry)));
        } catch (ModelException e) {
          refused.put(entry.id(), e.getMessage());
          LOG.warn("semantic model {} refused: {}", entry.id(), e.getMessage());
        }
      }
    }
    return new Snapshot(registry, models, refused);
  }

  ModelRegistry registry() {
    return scans.latest().registry();
  }

  /**
   * The model of this id, or the default for null.
   *
   * @return failed with 422 (pointer {@code /model}) for a model that does not exist, is of another
   *     task or was refused, and 503 when no image-text-similarity model is installed
   */
  Future<Model> resolve(String id) {
    Snapshot now = scans.latest();
    Optional<Model> known = pick(now, id);
    if (known.isPresent()) {
      return Future.succeededFuture(known.get());
    }
    return scans.fresh().map(fresh -> pick(fresh, id).orElseThrow(() -> missing(fresh, id)));
  }

  private Optional<Model> pick(Snapshot s, String id) {
    if (id != null) {
      return Optional.ofNullable(s.models().get(id));
    }
    Model preferred = defaultModel.isEmpty() ? null : s.models().get(defaultModel);
    if (preferred != null || s.refused().containsKey(defaultModel)) {
      return Optional.ofNullable(preferred);
    }
    return s.models().values().stream().findFirst();
  }

  private ImajinException missing(Snapshot s, String id) {
    String named = id != null ? id : defaultModel;
    String refusal = s.refused().get(named);
    if (refusal != null) {
      return wrongModel(id, "model '" + named + "' cannot be used: " + refusal);
    }
    if (id == null) {
      return ImajinException.unavailable(
          SERVICE,
          "no semantic model is installed: the registry scanned "
              + s.registry().roots()
              + " (models.roots) and found no image-text-similarity model"
              + problems(s),
          null);
    }
    Optional<ModelEntry> other = s.registry().find(id);
    if (other.isPresent()) {
      return wrongModel(
          id,
          "model '"
              + id
              + "' is for "
              + other.get().task()
              + ", not image-text-similarity: the semantic service needs a dual encoder");
    }
    for (Path root : s.registry().roots()) {
      String folder = root.resolve(id).normalize().toString();
      for (String problem : s.registry().problems()) {
        if (problem.startsWith(folder + File.separator) || problem.startsWith(folder + ":")) {
          return wrongModel(id, "model '" + id + "' was refused by the registry: " + problem);
        }
      }
    }
    return wrongModel(
        id,
        "model '"
            + id
            + "' does not exist: the registry scanned "
            + s.registry().roots()
            + " (models.roots)");
  }

  private static String problems(Snapshot s) {
    List<String> problems = s.registry().problems();
    return problems.isEmpty()
        ? ""
        : "; it refused " + problems.size() + " folders, the first: " + problems.get(0);
  }

  /** A 422 naming the request's {@code model}, or the configured default when it named none. */
  private static ImajinException wrongModel(String id, String detail) {
    List<FieldError> errors = id == null ? List.of() : List.of(new FieldError("/model", detail));
    String where = id == null ? " (semantic.default-model)" : "";
    return new ImajinException(ErrorType.UNPROCESSABLE, detail + where, null, errors, null, null);
  }
}
