package dev.imajin.aesthetic.impl;

import ai.onnxruntime.OrtException;
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
import dev.imajin.inference.text.ClipTokenizer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reward models this node has loaded. Loading one checks its files against the registry (a
 * missing, changed or corrupt file answers 422 naming it), reads its manifest's parameters and its
 * tokenizer, has the {@link ModelHost} open its graph inside a GPU Boss lease, then checks the
 * graph's inputs and output against the manifest (422 naming the file). A model the host drops
 * (reclaimed while idle, or its lease lost) loads again on the next request.
 *
 * <p>Nothing loads until the GPU Boss has listed the node's devices: until then, 503 with a retry
 * hint.
 */
final class RewardModels {
  private static final Logger LOG = LoggerFactory.getLogger(RewardModels.class);
  private static final String SERVICE = "aesthetic";

  private record Hosting(DevicePools pools, LeaseClient leases, ModelHost host) {}

  private record Prepared(ClipTokenizer tokenizer, ResolvedFile graph, String sha256) {}

  private record Tokenizer(Path folder, ClipTokenizer tokenizer) {}

  private final WorkerExecutor io;
  private final ModelCatalog catalog;
  private final int loadWaitMs;
  private final Future<Hosting> hosting;
  private final Map<String, Future<RewardModel>> loads = new ConcurrentHashMap<>();
  private final Map<String, Tokenizer> tokenizers = new ConcurrentHashMap<>();

  /**
   * @param devices the node's devices, once the GPU Boss lists them
   * @param holder the lease holder name, {@code aesthetic@<node>}
   */
  RewardModels(
      Vertx vertx,
      WorkerExecutor io,
      ModelCatalog catalog,
      Future<List<DeviceSpec>> devices,
      String holder,
      long busTimeoutMs,
      long loadWaitMs) {
    this.io = io;
    this.catalog = catalog;
    this.loadWaitMs = (int) loadWaitMs;
    this.hosting =
        devices.compose(
            specs -> {
              DevicePools pools = new DevicePools(vertx, specs);
              LeaseClient leases = new LeaseClient(vertx, holder, busTimeoutMs);
              ModelHost host = new ModelHost(leases, pools, specs, this.loadWaitMs);
              return host.start().map(v -> new Hosting(pools, leases, host));
            });
  }

  /** Succeeds when models can load: the devices are known and reclaim requests are answered. */
  Future<Void> ready() {
    return hosting.isComplete() ? hosting.mapEmpty() : Future.failedFuture(notListedYet());
  }

  /** The model, loaded: at once when it is, else after loading it (or the load in progress). */
  Future<RewardModel> ensure(ModelEntry entry) {
    if (!hosting.isComplete()) {
      return Future.failedFuture(notListedYet());
    }
    if (hosting.failed()) {
      return Future.failedFuture(hosting.cause());
    }
    return loads.compute(
        entry.id(),
        (id, current) ->
            current != null
                    && (!current.isComplete()
                        || (current.succeeded() && !current.result().loaded().closed()))
                ? current
                : load(entry));
  }

  private Future<RewardModel> load(ModelEntry entry) {
    Promise<RewardModel> done = Promise.promise();
    Future<RewardModel> load = done.future();
    io.executeBlocking(() -> prepare(entry), false)
        .compose(prepared -> open(entry, prepared))
        .onSuccess(m -> LOG.info("reward model {} ready on {}", m.id(), m.loaded().device()))
        .onFailure(
            e -> {
              loads.remove(entry.id(), load);
              LOG.warn("reward model {} did not load: {}", entry.id(), e.getMessage());
            })
        .recover(e -> Future.failedFuture(asProblem(e)))
        .onComplete(done);
    return load;
  }

  /** Opens the graph inside a lease and checks it; a graph that does not fit is unloaded. */
  private Future<RewardModel> open(ModelEntry entry, Prepared prepared) {
    ModelHost host = hosting.result().host();
    Map<String, Path> graph = Map.of(RewardModel.COMPONENT, prepared.graph().path());
    return host.load(entry, graph, null, loadWaitMs)
        .compose(
            loaded ->
                host.run(loaded, m -> check(m, entry, prepared))
                    .recover(e -> host.unload(entry.id()).transform(v -> Future.failedFuture(e))));
  }

  /** Reads the graph's inputs and the manifest's parameters; on the device's pool. */
  private static RewardModel check(LoadedModel loaded, ModelEntry entry, Prepared prepared)
      throws OrtException {
    RewardGraph.Checked checked =
        RewardGraph.read(
            loaded.session(RewardModel.COMPONENT),
            prepared.graph().path().toString(),
            entry,
            prepared.tokenizer().maxLength());
    return new RewardModel(
        loaded, checked.spec(), checked.graph(), prepared.tokenizer(), prepared.sha256());
  }

  /** Verifies and hashes the files, reads the manifest's parameters and the tokenizer; blocking. */
  private Prepared prepare(ModelEntry entry) {
    try {
      catalog.registry().verify(entry);
      ResolvedFile graph = entry.requireFile(RewardModel.COMPONENT);
      String sha256 = graph.sha256().orElseGet(() -> catalog.registry().sha256(graph));
      Path folder =
          entry
              .tokenizer()
              .map(t -> Files.isRegularFile(t) ? t.getParent() : t)
              .orElseThrow(
                  () ->
                      new ModelException(
                          "model '"
                              + entry.id()
                              + "' ("
                              + entry.folder()
                              + ") names no tokenizer; an image-reward model needs one"));
      return new Prepared(tokenizer(entry.id(), folder), graph, sha256);
    } catch (ModelException e) {
      throw ImajinException.unprocessable(e.getMessage());
    }
  }

  private ClipTokenizer tokenizer(String id, Path folder) {
    return tokenizers
        .compute(
            id,
            (key, known) -> {
              if (known != null && known.folder().equals(folder)) {
                return known;
              }
              try {
                return new Tokenizer(folder, ClipTokenizer.load(folder));
              } catch (IllegalArgumentException e) {
                throw ImajinException.unprocessable(
                    "model '" + id + "': the tokenizer cannot be read: " + e.getMessage());
              }
            })
        .tokenizer();
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

  private static ImajinException notListedYet() {
    return ImajinException.unavailable(
        SERVICE, "the GPU Boss has not listed this node's devices yet", 1);
  }

  /** Runs inference on a loaded model, on its device's pool, under its lease. */
  <T> Future<T> run(RewardModel model, ModelHost.SessionTask<T> task) {
    return hosting.result().host().run(model.loaded(), task);
  }

  /** The models loaded now. */
  List<RewardModel> loaded() {
    return loads.values().stream()
        .filter(Future::succeeded)
        .map(Future::result)
        .filter(m -> !m.loaded().closed())
        .toList();
  }

  /** Unloads every model, releases every lease, stops the pools and frees the tokenizers. */
  Future<Void> close() {
    if (!hosting.succeeded()) {
      tokenizers.values().forEach(t -> t.tokenizer().close());
      return Future.succeededFuture();
    }
    Hosting h = hosting.result();
    List<Future<Void>> unloads = new ArrayList<>();
    for (String id : List.copyOf(loads.keySet())) {
      Future<RewardModel> load = loads.remove(id);
      if (load != null) {
        unloads.add(load.transform(done -> h.host().unload(id)));
      }
    }
    return Future.join(unloads)
        .otherwiseEmpty()
        .compose(v -> h.leases().close())
        .compose(v -> h.pools().closeAsync())
        .onComplete(done -> tokenizers.values().forEach(t -> t.tokenizer().close()));
  }
}
