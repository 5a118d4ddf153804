package dev.imajin.inference.model;

import dev.imajin.contracts.ImajinException;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service's view of the registry: the roots are scanned at start, and a request that names a
 * model the last scan did not find rescans them (at most every {@link #RESCAN_MIN_INTERVAL_MS}), so
 * a folder added while the service runs is found when first asked for. Scans run on the given
 * worker pool; the methods are called from an event loop and never block.
 *
 * <p>Failures are {@link ImajinException}s whose detail says what the registry holds: 422 for a
 * model that does not exist, is of another task, or whose folder the scan refused (naming its file
 * and the reason); 503 naming the roots when no model of the task is installed at all.
 */
public final class ModelCatalog {
  public static final long RESCAN_MIN_INTERVAL_MS = 2_000;
  private static final Logger LOG = LoggerFactory.getLogger(ModelCatalog.class);

  private record Snapshot(ModelRegistry registry) {}

  private final Rescans<Snapshot> scans;
  private final String service;

  private ModelCatalog(WorkerExecutor io, List<Path> roots, String service, Snapshot first) {
    this.service = service;
    this.scans = new Rescans<>(io, () -> build(roots), RESCAN_MIN_INTERVAL_MS, first);
  }

  /**
   * Scans the roots on {@code io} and logs the models of {@code task} and the folders refused.
   *
   * @param service the service that asks, for messages
   */
  public static Future<ModelCatalog> scan(
      WorkerExecutor io, List<Path> roots, String service, ModelTask task) {
    return io.executeBlocking(() -> build(roots), false)
        .map(
            first -> {
              LOG.info(
                  "{}: {} models under {}: {}; {} folders refused{}",
                  service,
                  task,
                  first.registry().roots(),
                  ids(first.registry(), task),
                  first.registry().problems().size(),
                  first.registry().problems().isEmpty()
                      ? ""
                      : " (each logged above; asking for one answers its reason)");
              return new ModelCatalog(io, roots, service, first);
            });
  }

  private static Snapshot build(List<Path> roots) {
    return new Snapshot(ModelRegistry.scan(roots));
  }

  /** The registry of the last scan. */
  public ModelRegistry registry() {
    return scans.latest().registry();
  }

  /** The models of {@code task} in the last scan, by id. */
  public List<ModelEntry> models(ModelTask task) {
    return models(scans.latest().registry(), task);
  }

  /**
   * The model of this id, which must be of {@code task}; a model the last scan did not find is
   * looked for again in a fresh scan.
   */
  public Future<ModelEntry> resolve(String id, ModelTask task) {
    Optional<ModelEntry> known = scans.latest().registry().find(id);
    if (known.isPresent()) {
      return Future.succeededFuture(known.get()).map(e -> ofTask(e, task));
    }
    return scans
        .fresh()
        .map(
            fresh ->
                ofTask(
                    fresh.registry().find(id).orElseThrow(() -> unknown(id, task, fresh)), task));
  }

  /**
   * The model of this id when the registry holds one of {@code task}; else the first model of
   * {@code task} by id. Used for a configured default, which may name a model that is not
   * installed.
   *
   * @param id the preferred id; empty to take the first model directly
   * @param configKey the configuration key that set {@code id}, for messages
   */
  public Future<ModelEntry> preferred(String id, ModelTask task, String configKey) {
    Optional<ModelEntry> now = pick(scans.latest().registry(), id, task);
    if (now.isPresent() && (id.isEmpty() || now.get().id().equals(id))) {
      return Future.succeededFuture(now.get());
    }
    return scans
        .fresh()
        .map(
            fresh ->
                pick(fresh.registry(), id, task)
                    .orElseThrow(() -> noneInstalled(fresh, task, id, configKey)));
  }

  private static Optional<ModelEntry> pick(ModelRegistry registry, String id, ModelTask task) {
    Optional<ModelEntry> named =
        id.isEmpty() ? Optional.empty() : registry.find(id).filter(e -> e.task() == task);
    return named.or(() -> models(registry, task).stream().findFirst());
  }

  private static List<ModelEntry> models(ModelRegistry registry, ModelTask task) {
    return registry.models().stream().filter(e -> e.task() == task).toList();
  }

  private static List<String> ids(ModelRegistry registry, ModelTask task) {
    return models(registry, task).stream().map(ModelEntry::id).toList();
  }

  private static ModelEntry ofTask(ModelEntry entry, ModelTask task) {
    if (entry.task() != task) {
      throw ImajinException.unprocessable(
          "model '" + entry.id() + "' is a " + entry.task() + " model, not " + task);
    }
    return entry;
  }

  private static ImajinException unknown(String id, ModelTask task, Snapshot s) {
    for (Path root : s.registry().roots()) {
      String folder = root.resolve(id).normalize().toString();
      for (String problem : s.registry().problems()) {
        if (problem.startsWith(folder + File.separator) || problem.startsWith(folder + ":")) {
          return ImajinException.unprocessable(
              "model '" + id + "' was refused when the registry scanned it: " + problem);
        }
      }
    }
    return ImajinException.unprocessable(
        "model '"
            + id
            + "' does not exist: the registry under "
            + s.registry().roots()
            + " (models.roots) has these "
            + task
            + " models: "
            + ids(s.registry(), task));
  }

  private ImajinException noneInstalled(Snapshot s, ModelTask task, String id, String configKey) {
    String refused =
        s.registry().problems().isEmpty()
            ? ""
            : "; it refused "
                + s.registry().problems().size()
                + " folders, the first: "
                + s.registry().problems().get(0);
    return ImajinException.unavailable(
        service,
        "no "
            + task
            + " model is installed: the registry scanned "
            + s.registry().roots()
            + " (models.roots) and found none"
            + (id.isEmpty() ? "" : " (" + configKey + " names '" + id + "')")
            + refused,
        null);
  }
}
