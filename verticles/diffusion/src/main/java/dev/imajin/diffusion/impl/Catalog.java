package dev.imajin.diffusion.impl;

import dev.imajin.contracts.ErrorType;
import dev.imajin.contracts.ImajinException;
import dev.imajin.inference.model.DiffusionLayout;
import dev.imajin.inference.model.ModelEntry;
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
 * The text-to-image models of the registry, with their profiles. The roots are scanned at start; a
 * request that names a model the last scan did not find rescans them (at most every {@link
 * #RESCAN_MIN_INTERVAL_MS}), so a folder added while the service runs is found when first asked
 * for. A name the scan refused is answered with the registry's reason, which names the file.
 */
final class Catalog {
  static final long RESCAN_MIN_INTERVAL_MS = 2_000;
  private static final Logger LOG = LoggerFactory.getLogger(Catalog.class);

  /** A text-to-image model of the registry. */
  record Model(ModelEntry entry, DiffusionLayout layout, ModelProfile profile) {
    String id() {
      return entry.id();
    }
  }

  private record Snapshot(ModelRegistry registry, Map<String, Model> models) {}

  private final Rescans<Snapshot> scans;
  private final String defaultModel;

  private Catalog(WorkerExecutor io, List<Path> roots, String defaultModel, Snapshot first) {
    this.defaultModel = defaultModel;
    this.scans = new Rescans<>(io, () -> build(roots), RESCAN_MIN_INTERVAL_MS, first);
  }

  /** Scans the roots on {@code io} and logs what was found and what was refused. */
  static Future<Catalog> scan(WorkerExecutor io, List<Path> roots, String defaultModel) {
    return io.executeBlocking(() -> build(roots), false)
        .map(
            first -> {
              LOG.info(
                  "diffusion models under {}: {}; {} folders refused{}",
                  first.registry().roots(),
                  first.models().keySet(),
                  first.registry().problems().size(),
                  first.registry().problems().isEmpty()
                      ? ""
                      : " (each logged above; loading one answers its reason)");
              return new Catalog(io, roots, defaultModel, first);
            });
  }

  private static Snapshot build(List<Path> roots) {
    ModelRegistry registry = ModelRegistry.scan(roots);
    Map<String, Model> models = new LinkedHashMap<>();
    for (ModelEntry entry : registry.models()) {
      if (entry.task() == ModelTask.TEXT_TO_IMAGE) {
        DiffusionLayout layout = registry.layout(entry);
        models.put(entry.id(), new Model(entry, layout, ModelProfile.of(entry, layout)));
      }
    }
    return new Snapshot(registry, models);
  }

  ModelRegistry registry() {
    return scans.latest().registry();
  }

  /** The text-to-image models of the last scan, by id. */
  List<Model> models() {
    return List.copyOf(scans.latest().models().values());
  }

  /** Folders the last scan refused, each naming its file and the reason. */
  List<String> problems() {
    return scans.latest().registry().problems();
  }

  Optional<Model> find(String id) {
    return Optional.ofNullable(scans.latest().models().get(id));
  }

  /**
   * The model of this id, or the default model for null.
   *
   * @return failed with 404 for an unknown id, 422 for a folder the scan refused (naming its file)
   *     or a model of another task
   */
  Future<Model> resolve(String id) {
    String wanted = id != null ? id : defaultModel.isEmpty() ? null : defaultModel;
    Snapshot now = scans.latest();
    Model known = wanted == null ? first(now) : now.models().get(wanted);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    return scans
        .fresh()
        .map(
            fresh -> {
              Model found = wanted == null ? first(fresh) : fresh.models().get(wanted);
              if (found == null) {
                throw wanted == null ? noModels(fresh) : unknown(wanted, fresh);
              }
              return found;
            });
  }

  private static Model first(Snapshot s) {
    return s.models().values().stream().findFirst().orElse(null);
  }

  private ImajinException noModels(Snapshot s) {
    return new ImajinException(
        ErrorType.NOT_FOUND,
        "no text-to-image model is installed: the registry scanned "
            + s.registry().roots()
            + " (models.roots) and found none"
            + (s.registry().problems().isEmpty()
                ? ""
                : "; it refused "
                    + s.registry().problems().size()
                    + " folders: "
                    + s.registry().problems().get(0)));
  }

  static ImajinException unknown(String id, Snapshot s) {
    Optional<ModelEntry> other = s.registry().find(id);
    if (other.isPresent()) {
      return ImajinException.unprocessable(
          "model '" + id + "' is a " + other.get().task() + " model, not text-to-image");
    }
    for (Path root : s.registry().roots()) {
      String folder = root.resolve(id).normalize().toString();
      for (String problem : s.registry().problems()) {
        if (problem.startsWith(folder + File.separator) || problem.startsWith(folder + ":")) {
          return ImajinException.unprocessable(
              "model '" + id + "' was refused when the registry scanned it: " + problem);
        }
      }
    }
    return ImajinException.notFound("model", id);
  }
}
