package dev.imajin.diffusion.impl;

import dev.imajin.contracts.ImajinException;
import dev.imajin.contracts.diffusion.ModelComponent;
import dev.imajin.gpuboss.client.LeaseClient;
import dev.imajin.gpuboss.inventory.DeviceSpec;
import dev.imajin.gpuboss.pool.DevicePools;
import dev.imajin.inference.diffusion.DiffusionPipeline;
import dev.imajin.inference.model.DiffusionLayout;
import dev.imajin.inference.model.ModelEntry;
import dev.imajin.inference.model.ModelException;
import dev.imajin.inference.model.ModelRegistry;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models this node has loaded for generation. Loading a model checks its files against the
 * registry (a missing, changed or corrupt file answers 422 naming it), hashes every file for the
 * responses' {@code model_hashes}, reads its tokenizers, then has the {@link ModelHost} open its
 * sessions inside a GPU Boss lease; the host's failures (a graph ONNX Runtime refuses: 422; no
 * memory in time: the GPU Boss's 409 or 503) pass through. A model the host drops (the broker
 * reclaimed it while idle, or its lease was lost) is loaded again by the next generation.
 *
 * <p>Nothing can load until the GPU Boss has listed the node's devices: until then loads answer 503
 * with a retry hint.
 */
final class Residency {
  private static final Logger LOG = LoggerFactory.getLogger(Residency.class);

  /** A loaded model with what a generation needs. */
  record Ready(LoadedModel model, DiffusionPipeline pipeline, List<ModelComponent> hashes) {}

  private record Hosting(DevicePools pools, LeaseClient leases, ModelHost host) {}

  private record Tokenizers(Path folder, ClipTokenizer first, ClipTokenizer second) {}

  private final WorkerExecutor io;
  private final Catalog catalog;
  private final int defaultWaitMs;
  private final Future<Hosting> hosting;
  private final Map<String, Future<Ready>> loads = new ConcurrentHashMap<>();
  private final Map<String, String> errors = new ConcurrentHashMap<>();
  private final Map<String, Instant> loadedAt = new ConcurrentHashMap<>();
  private final Map<String, List<ModelComponent>> hashes = new ConcurrentHashMap<>();
  private final Map<String, Tokenizers> tokenizers = new ConcurrentHashMap<>();

  /**
   * @param devices the node's devices, once the GPU Boss lists them
   * @param holder the lease holder name, {@code diffusion@<node>}
   */
  Residency(
      Vertx vertx,
      WorkerExecutor io,
      Catalog catalog,
      Future<List<DeviceSpec>> devices,
      String holder,
      long busTimeoutMs,
      long defaultWaitMs) {
    this.io = io;
    this.catalog = catalog;
    this.defaultWaitMs = (int) defaultWaitMs;
    this.hosting =
        devices.compose(
            specs -> {
              DevicePools pools = new DevicePools(vertx, specs);
              LeaseClient leases = new LeaseClient(vertx, holder, busTimeoutMs);
              ModelHost host = new ModelHost(leases, pools, specs, this.defaultWaitMs);
              return host.start().map(v -> new Hosting(pools, leases, host));
            });
  }

  /** Succeeds when models can load: the devices are known and reclaim requests are answered. */
  Future<Void> ready() {
    return hosting.isComplete()
        ? hosting.mapEmpty()
        : Future.failedFuture(
            ImajinException.unavailable(
                "diffusion", "the GPU Boss has not listed this node's devices yet", 1));
  }

  /** Whether the model is loaded now (a generation then spends no time loading it). */
  boolean isLoaded(String id) {
    Future<Ready> load = loads.get(id);
    return load != null && load.succeeded() && !load.result().model().closed();
  }

  /**
   * The model, loaded: at once when it is, else after loading it (or after the load already in
   * progress). A model loaded on another device than asked stays where it is.
   *
   * @param device {@code cpu}, {@code cuda:N}, or null to let the host choose
   * @param waitMs how long to wait for device memory, or null for {@code diffusion.load-wait-ms}
   */
  Future<Ready> ensure(Catalog.Model model, String device, Integer waitMs) {
    if (!hosting.isComplete()) {
      return Future.failedFuture(
          ImajinException.unavailable(
              "diffusion", "the GPU Boss has not listed this node's devices yet", 1));
    }
    if (hosting.failed()) {
      return Future.failedFuture(hosting.cause());
    }
    return loads.compute(
        model.id(),
        (id, current) -> {
          boolean usable =
              current != null
                  && (!current.isComplete()
                      || (current.succeeded() && !current.result().model().closed()));
          return usable ? current : load(model, device, waitMs == null ? defaultWaitMs : waitMs);
        });
  }

  private Future<Ready> load(Catalog.Model model, String device, int waitMs) {
    String id = model.id();
    errors.remove(id);
    ModelHost host = hosting.result().host();
    Promise<Ready> done = Promise.promise();
    Future<Ready> load = done.future();
    io.executeBlocking(() -> prepare(model), false)
        .compose(
            prepared ->
                host.load(
                        model.entry(), DiffusionPipeline.components(model.layout()), device, waitMs)
                    .map(
                        loaded ->
                            new Ready(
                                loaded,
                                new DiffusionPipeline(
                                    loaded, model.layout(), prepared.first(), prepared.second()),
                                hashes.get(id))))
        .onSuccess(
            ready -> {
              loadedAt.put(id, Instant.now());
              LOG.info("model {} ready on {}", id, ready.model().device());
            })
        .onFailure(
            e -> {
              errors.put(id, e.getMessage() == null ? e.toString() : e.getMessage());
              loads.remove(id, load);
              LOG.warn("model {} did not load: {}", id, e.getMessage());
            })
        .recover(e -> Future.failedFuture(asProblem(e)))
        .onComplete(done);
    return load;
  }

  /** Verifies and hashes the files and reads the tokenizers; blocking. */
  private Tokenizers prepare(Catalog.Model model) {
    ModelRegistry registry = catalog.registry();
    ModelEntry entry = model.entry();
    try {
      registry.verify(entry);
      // The registry caches digests by path, size and modification time: unchanged files are
      // hashed once per process, changed ones again.
      hashes.put(entry.id(), hash(registry, entry));
    } catch (ModelException e) {
      throw ImajinException.unprocessable(e.getMessage());
    }
    return tokenizers.compute(
        entry.id(),
        (id, known) ->
            known != null && known.folder().equals(entry.folder())
                ? known
                : readTokenizers(model.layout()));
  }

  private static List<ModelComponent> hash(ModelRegistry registry, ModelEntry entry) {
    List<ModelComponent> out = new ArrayList<>();
    for (ResolvedFile file : entry.files().values()) {
      out.add(
          new ModelComponent(
              file.role(),
              file.relativePath(),
              file.bytes(),
              file.sha256().orElseGet(() -> registry.sha256(file))));
    }
    return List.copyOf(out);
  }

  private static Tokenizers readTokenizers(DiffusionLayout layout) {
    try {
      ClipTokenizer first = ClipTokenizer.load(folderOf(layout.tokenizer()));
      ClipTokenizer second =
          layout.tokenizer2().map(t -> ClipTokenizer.load(folderOf(t))).orElse(null);
      return new Tokenizers(layout.folder(), first, second);
    } catch (IllegalArgumentException e) {
      throw ImajinException.unprocessable("the tokenizer cannot be read: " + e.getMessage());
    }
  }

  private static Path folderOf(Path tokenizer) {
    return Files.isRegularFile(tokenizer) ? tokenizer.getParent() : tokenizer;
  }

  private static Throwable asProblem(Throwable e) {
    return e instanceof ModelException ? ImajinException.unprocessable(e.getMessage()) : e;
  }

  /** Runs inference on a loaded model, on its device's pool, under its lease. */
  <T> Future<T> run(Ready ready, ModelHost.SessionTask<T> task) {
    return hosting.result().host().run(ready.model(), task);
  }

  /** Unloads the model (after a load in progress) and releases its lease. */
  Future<Void> unload(String id) {
    Future<Ready> load = loads.remove(id);
    loadedAt.remove(id);
    if (load == null || !hosting.succeeded()) {
      return Future.succeededFuture();
    }
    return load.transform(done -> hosting.result().host().unload(id));
  }

  /** Where the model stands now. */
  ModelState state(String id) {
    Future<Ready> load = loads.get(id);
    if (load == null) {
      String error = errors.get(id);
      return error == null ? ModelState.AVAILABLE : ModelState.failed(error);
    }
    if (!load.isComplete()) {
      return ModelState.loading();
    }
    if (load.failed() || load.result().model().closed()) {
      return ModelState.AVAILABLE;
    }
    LoadedModel model = load.result().model();
    return new ModelState(
        dev.imajin.contracts.diffusion.DiffusionModel.State.LOADED,
        model.device(),
        null,
        loadedAt.get(id));
  }

  /** The model's files with their hashes once computed (pinned ones from its manifest before). */
  List<ModelComponent> files(ModelEntry entry) {
    List<ModelComponent> hashed = hashes.get(entry.id());
    if (hashed != null) {
      return hashed;
    }
    return entry.files().values().stream()
        .map(
            f -> new ModelComponent(f.role(), f.relativePath(), f.bytes(), f.sha256().orElse(null)))
        .toList();
  }

  /** The models loaded now. */
  List<Ready> loaded() {
    return loads.values().stream()
        .filter(Future::succeeded)
        .map(Future::result)
        .filter(r -> !r.model().closed())
        .toList();
  }

  /** Unloads every model, releases every lease, stops the pools and frees the tokenizers. */
  Future<Void> close() {
    Future<Void> unloaded =
        Future.join(loads.keySet().stream().map(this::unload).toList()).otherwiseEmpty().mapEmpty();
    return unloaded
        .compose(
            v ->
                hosting.succeeded()
                    ? hosting
                        .result()
                        .leases()
                        .close()
                        .compose(x -> hosting.result().pools().closeAsync())
                    : Future.succeededFuture())
        .onComplete(
            done ->
                tokenizers
                    .values()
                    .forEach(
                        t -> {
                          t.first().close();
                          Optional.ofNullable(t.second()).ifPresent(ClipTokenizer::close);
                        }));
  }
}
