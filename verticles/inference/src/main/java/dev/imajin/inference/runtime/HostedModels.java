package dev.imajin.inference.runtime;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.imajin.contracts.ImajinException;
import dev.imajin.contracts.common.ModelRef;
import dev.imajin.gpuboss.client.DeviceDiscovery;
import dev.imajin.gpuboss.client.LeaseClient;
import dev.imajin.gpuboss.pool.DevicePools;
import dev.imajin.inference.model.ModelEntry;
import dev.imajin.inference.model.ModelException;
import dev.imajin.inference.model.ModelRegistry;
import dev.imajin.inference.model.ResolvedFile;
import dev.imajin.runtime.ServiceContext;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models a service has loaded on this node. Loading one follows its {@link ModelRecipe}: it
 * checks the model's files against the registry (a missing, changed or corrupt file answers 422
 * naming it), runs the recipe's prepare step on the io pool, has a {@link ModelHost} open the
 * recipe's graphs inside a GPU Boss lease, then reads them with the recipe's reader (graphs that do
 * not fit answer 422 and are unloaded). A model the host drops (reclaimed while idle, or its lease
 * lost), or whose folder changed in the catalog, loads again on the next request; concurrent
 * requests for a model share one load.
 *
 * <p>Nothing loads until the GPU Boss has listed the node's devices: until then, 503 with a retry
 * hint. Memory the GPU Boss will not grant in time also answers 503. Methods may be called from any
 * thread; readers and tasks run on the device's worker pool.
 */
public final class HostedModels {
  private static final Logger LOG = LoggerFactory.getLogger(HostedModels.class);

  /** The component a hosted model's graph is opened as. */
  public static final String COMPONENT = "model";

  /** Reads a loaded single graph into what requests use; runs on the device's pool. */
  @FunctionalInterface
  public interface Reader<T> {
    T read(OrtSession session, ModelEntry entry) throws OrtException;
  }

  /** A loaded model with what a request needs: its entry, sessions, read graphs and hash. */
  public record Ready<T>(ModelEntry entry, LoadedModel loaded, T model, String sha256) {}

  private record Hosting(DevicePools pools, LeaseClient leases, ModelHost host) {}

  private record Prepared<P>(Map<String, Path> components, String sha256, P value) {}

  private final DeviceDiscovery discovery;
  private final String service;
  private final WorkerExecutor io;
  private final Supplier<ModelRegistry> registry;
  private final int waitMs;
  private final Future<Hosting> hosting;
  private final Map<String, Future<Ready<?>>> loads = new ConcurrentHashMap<>();

  private HostedModels(
      String service,
      Vertx vertx,
      WorkerExecutor io,
      Supplier<ModelRegistry> registry,
      DeviceDiscovery discovery,
      String holder,
      long busTimeoutMs,
      long waitMs) {
    this.service = service;
    this.discovery = discovery;
    this.io = io;
    this.registry = registry;
    this.waitMs = (int) waitMs;
    this.hosting =
        discovery
            .discover()
            .compose(
                specs -> {
                  DevicePools pools = new DevicePools(vertx, specs);
                  LeaseClient leases = new LeaseClient(vertx, holder, busTimeoutMs);
                  ModelHost host = new ModelHost(leases, pools, specs, this.waitMs);
                  return host.start().map(v -> new Hosting(pools, leases, host));
                });
  }

  /**
   * The models of a service: it asks the GPU Boss for the node's devices (again until it answers;
   * {@link #close} stops asking) and holds its leases as {@code <service>@<node name>}.
   *
   * @param service the service's name, in problems and log lines
   * @param io the worker pool that verifies and hashes files, and runs prepare steps
   * @param registry the latest scan's registry ({@code catalog::registry}), which verifies files
   * @param waitMs how long a load waits for device memory
   */
  public static HostedModels discovering(
      String service,
      Vertx vertx,
      ServiceContext context,
      WorkerExecutor io,
      Supplier<ModelRegistry> registry,
      long waitMs) {
    long busTimeoutMs = context.config().eventBus().requestTimeoutMs();
    return new HostedModels(
        service,
        vertx,
        io,
        registry,
        new DeviceDiscovery(vertx, busTimeoutMs, service),
        service + "@" + context.config().node().name(),
        busTimeoutMs,
        waitMs);
  }

  /** Completes once the GPU Boss has listed the devices and models can load. */
  public Future<Void> listed() {
    return hosting.mapEmpty();
  }

  /** Succeeds when models can load: the GPU Boss has listed the devices. */
  public Future<Void> ready() {
    return hosting.isComplete() ? hosting.mapEmpty() : Future.failedFuture(notYet());
  }

  private ImajinException notYet() {
    return ImajinException.unavailable(
        service, "the GPU Boss has not listed this node's devices yet", 1);
  }

  /**
   * The single-graph model ({@link #COMPONENT}), loaded: at once when it is, else after loading it
   * (or the load in progress). The reader must be the same for every call with one model id.
   */
  public <T> Future<Ready<T>> ensure(ModelEntry entry, Reader<T> reader) {
    return ensure(entry, ModelRecipe.single(reader));
  }

  /**
   * The model, loaded as its recipe says: at once when it is, else after loading it (or the load in
   * progress). The recipe must be the same for every call with one model id.
   */
  @SuppressWarnings("unchecked")
  public <P, T> Future<Ready<T>> ensure(ModelEntry entry, ModelRecipe<P, T> recipe) {
    if (!hosting.isComplete()) {
      return Future.failedFuture(notYet());
    }
    if (hosting.failed()) {
      return Future.failedFuture(hosting.cause());
    }
    Future<Ready<?>> load =
        loads.compute(
            entry.id(),
            (id, current) -> {
              boolean usable =
                  current != null
                      && (!current.isComplete()
                          || (current.succeeded()
                              && !current.result().loaded().closed()
                              && current.result().entry().folder().equals(entry.folder())));
              return usable ? current : load(entry, recipe);
            });
    return load.map(r -> (Ready<T>) r);
  }

  private <P, T> Future<Ready<?>> load(ModelEntry entry, ModelRecipe<P, T> recipe) {
    Promise<Ready<?>> done = Promise.promise();
    Future<Ready<?>> load = done.future();
    ModelHost host = hosting.result().host();
    // the same id found in another folder: the host still holds the old folder's graphs, which it
    // would hand back; close them first so the new folder's open
    Future<Void> stale =
        host.loaded(entry.id())
            .filter(old -> !old.entry().folder().equals(entry.folder()))
            .map(old -> host.unload(entry.id()))
            .orElseGet(Future::succeededFuture);
    stale
        .compose(v -> io.executeBlocking(() -> prepare(entry, recipe), false))
        .compose(
            prepared ->
                host.load(entry, prepared.components(), null, waitMs)
                    .compose(loaded -> read(host, entry, loaded, prepared, recipe)))
        .onSuccess(
            r -> LOG.info("{} model {} ready on {}", service, entry.id(), r.loaded().device()))
        .onFailure(
            e -> {
              loads.remove(entry.id(), load);
              LOG.warn("{} model {} did not load: {}", service, entry.id(), e.getMessage());
            })
        .recover(e -> Future.failedFuture(asProblem(e)))
        .onComplete(done);
    return load;
  }

  /** Reads the graphs on the device's pool; graphs that do not fit are unloaded. */
  private static <P, T> Future<Ready<?>> read(
      ModelHost host,
      ModelEntry entry,
      LoadedModel loaded,
      Prepared<P> prepared,
      ModelRecipe<P, T> recipe) {
    return host.<Ready<?>>run(
            loaded,
            m ->
                new Ready<>(
                    entry, m, recipe.read().read(m, entry, prepared.value()), prepared.sha256()))
        .recover(e -> host.unload(entry.id()).transform(v -> Future.failedFuture(e)));
  }

  /** Verifies the files, hashes the first graph and runs the recipe's prepare step; blocking. */
  private <P> Prepared<P> prepare(ModelEntry entry, ModelRecipe<P, ?> recipe) {
    try {
      ModelRegistry registry = this.registry.get();
      registry.verify(entry);
      Map<String, Path> components = new LinkedHashMap<>();
      for (String role : recipe.components()) {
        components.put(role, entry.requireFile(role).path());
      }
      ResolvedFile first = entry.requireFile(recipe.components().get(0));
      String sha256 = first.sha256().orElseGet(() -> registry.sha256(first));
      return new Prepared<>(components, sha256, recipe.prepare().prepare(entry));
    } catch (ModelException e) {
      throw ImajinException.unprocessable(e.getMessage());
    }
  }

  private static Throwable asProblem(Throwable e) {
    if (e instanceof ModelException) {
      return ImajinException.unprocessable(e.getMessage());
    }
    // The GPU Boss refused the memory for now; the contract answers that as 503.
    return ImajinException.unavailableIfConflict(e, null);
  }

  /**
   * Runs inference on a loaded model, on its device's pool, under its lease. Fails with a 409
   * {@link ImajinException} when the model was unloaded meanwhile; {@link #ensure} loads it again.
   */
  public <T, R> Future<R> run(Ready<T> ready, ModelHost.SessionTask<R> task) {
    return hosting.result().host().run(ready.loaded(), task);
  }

  /** The models loaded now, as {@code info} reports them. */
  public List<ModelRef> refs() {
    return loaded().stream()
        .map(
            r ->
                new ModelRef(
                    r.entry().id(),
                    r.entry().task().wireName(),
                    r.entry().family(),
                    r.loaded().device(),
                    r.sha256()))
        .toList();
  }

  /** The models loaded now. */
  public List<Ready<?>> loaded() {
    return loads.values().stream()
        .filter(Future::succeeded)
        .map(Future::result)
        .filter(r -> !r.loaded().closed())
        .toList();
  }

  /** Unloads every model, releases every lease and stops the pools. */
  public Future<Void> close() {
    discovery.stop();
    if (!hosting.succeeded()) {
      return Future.succeededFuture();
    }
    Hosting h = hosting.result();
    List<Future<Void>> unloads = new ArrayList<>();
    for (String id : List.copyOf(loads.keySet())) {
      Future<Ready<?>> load = loads.remove(id);
      if (load != null) {
        unloads.add(load.transform(done -> h.host().unload(id)));
      }
    }
    return Future.join(unloads)
        .otherwiseEmpty()
        .compose(v -> h.leases().close())
        .compose(v -> h.pools().closeAsync())
        .mapEmpty();
  }
}
