package dev.imajin.identity.impl;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.imajin.contracts.ErrorType;
import dev.imajin.contracts.ImajinException;
import dev.imajin.gpuboss.client.LeaseClient;
import dev.imajin.gpuboss.inventory.DeviceSpec;
import dev.imajin.gpuboss.pool.DevicePools;
import dev.imajin.inference.model.ModelCatalog;
import dev.imajin.inference.model.ModelEntry;
import dev.imajin.inference.model.ModelException;
import dev.imajin.inference.model.ResolvedFile;
import dev.imajin.inference.runtime.LoadedModel;
import dev.imajin.inference.runtime.ModelHost;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The face models this node has loaded (the detector and the embedder), as the semantic and
 * aesthetic services keep theirs: loading checks the model's file against the registry (a missing,
 * changed or corrupt file answers 422 naming it), has the {@link ModelHost} open its graph inside a
 * GPU Boss lease, then reads the graph ({@link dev.imajin.inference.face.FaceDetector#of}, {@link
 * dev.imajin.inference.face.FaceEmbedder#of}; a graph that does not fit answers 422 and is
 * unloaded). A model the host drops (reclaimed while idle, or its lease lost) loads again on the
 * next request. Nothing loads until the GPU Boss has listed the node's devices: until then, 503
 * with a retry hint.
 */
final class FaceModels {
  private static final Logger LOG = LoggerFactory.getLogger(FaceModels.class);

  /** Reads a loaded graph into what requests use; runs on the device's pool. */
  @FunctionalInterface
  interface Reader<T> {
    T read(OrtSession session, ModelEntry entry) throws OrtException;
  }

  /** A loaded model with what a request needs. */
  record Ready<T>(ModelEntry entry, LoadedModel loaded, T model, String sha256) {}

  private record Hosting(DevicePools pools, LeaseClient leases, ModelHost host) {}

  private final WorkerExecutor io;
  private final ModelCatalog catalog;
  private final int waitMs;
  private final Future<Hosting> hosting;
  private final Map<String, Future<Ready<?>>> loads = new ConcurrentHashMap<>();

  /**
   * @param devices the node's devices, once the GPU Boss lists them
   * @param holder the lease holder name, {@code identity@<node>}
   * @param waitMs how long a load waits for device memory
   */
  FaceModels(
      Vertx vertx,
      WorkerExecutor io,
      ModelCatalog catalog,
      Future<List<DeviceSpec>> devices,
      String holder,
      long busTimeoutMs,
      long waitMs) {
    this.io = io;
    this.catalog = catalog;
    this.waitMs = (int) waitMs;
    this.hosting =
        devices.compose(
            specs -> {
              DevicePools pools = new DevicePools(vertx, specs);
              LeaseClient leases = new LeaseClient(vertx, holder, busTimeoutMs);
              ModelHost host = new ModelHost(leases, pools, specs, this.waitMs);
              return host.start().map(v -> new Hosting(pools, leases, host));
            });
  }

  /** Succeeds when models can load: the GPU Boss has listed the devices. */
  Future<Void> ready() {
    return hosting.isComplete() ? hosting.mapEmpty() : Future.failedFuture(notYet());
  }

  private static ImajinException notYet() {
    return ImajinException.unavailable(
        DefaultIdentityService.SERVICE, "the GPU Boss has not listed this node's devices yet", 1);
  }

  /** The model, loaded: at once when it is, else after loading it (or the load in progress). */
  @SuppressWarnings("unchecked")
  <T> Future<Ready<T>> ensure(ModelEntry entry, Reader<T> reader) {
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
              return usable ? current : load(entry, reader);
            });
    return load.map(r -> (Ready<T>) r);
  }

  private <T> Future<Ready<?>> load(ModelEntry entry, Reader<T> reader) {
    Promise<Ready<?>> done = Promise.promise();
    Future<Ready<?>> load = done.future();
    ModelHost host = hosting.result().host();
    io.executeBlocking(() -> prepare(entry), false)
        .compose(
            prepared ->
                host.load(entry, Map.of("model", prepared.path()), null, waitMs)
                    .compose(
                        loaded ->
                            host.run(
                                    loaded,
                                    m ->
                                        (Ready<?>)
                                            new Ready<>(
                                                entry,
                                                m,
                                                reader.read(m.session("model"), entry),
                                                prepared.sha256()))
                                .recover(
                                    e ->
                                        host.unload(entry.id())
                                            .transform(v -> Future.failedFuture(e)))))
        .onSuccess(r -> LOG.info("face model {} ready on {}", entry.id(), r.loaded().device()))
        .onFailure(
            e -> {
              loads.remove(entry.id(), load);
              LOG.warn("face model {} did not load: {}", entry.id(), e.getMessage());
            })
        .recover(e -> Future.failedFuture(asProblem(e)))
        .onComplete(done);
    return load;
  }

  private record Prepared(Path path, String sha256) {}

  /** Verifies and hashes the graph; blocking. */
  private Prepared prepare(ModelEntry entry) {
    try {
      catalog.registry().verify(entry);
      ResolvedFile graph = entry.requireFile("model");
      return new Prepared(
          graph.path(), graph.sha256().orElseGet(() -> catalog.registry().sha256(graph)));
    } catch (ModelException e) {
      throw ImajinException.unprocessable(e.getMessage());
    }
  }

  private static Throwable asProblem(Throwable e) {
    if (e instanceof ModelException) {
      return ImajinException.unprocessable(e.getMessage());
    }
    if (e instanceof ImajinException ie && ie.type() == ErrorType.CONFLICT) {
      // The GPU Boss refused the memory for now; the contract answers that as 503.
      return new ImajinException(
          ErrorType.UNAVAILABLE,
          ie.getMessage(),
          ie.service(),
          ie.errors(),
          ie.retryAfterSeconds() != null ? ie.retryAfterSeconds() : 1,
          ie);
    }
    return e;
  }

  /** Runs inference on a loaded model, on its device's pool, under its lease. */
  <T, R> Future<R> run(Ready<T> ready, ModelHost.SessionTask<R> task) {
    return hosting.result().host().run(ready.loaded(), task);
  }

  /** The models loaded now. */
  List<Ready<?>> loaded() {
    return loads.values().stream()
        .filter(Future::succeeded)
        .map(Future::result)
        .filter(r -> !r.loaded().closed())
        .toList();
  }

  /** Unloads every model, releases every lease and stops the pools. */
  Future<Void> close() {
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
