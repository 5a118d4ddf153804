package dev.imajin.semantic.impl;

import dev.imajin.contracts.ImajinException;
import dev.imajin.gpuboss.client.LeaseClient;
import dev.imajin.gpuboss.inventory.DeviceSpec;
import dev.imajin.gpuboss.pool.DevicePools;
import dev.imajin.inference.model.ModelEntry;
import dev.imajin.inference.model.ModelException;
import dev.imajin.inference.model.ModelRegistry;
import dev.imajin.inference.runtime.LoadedModel;
import dev.imajin.inference.runtime.ModelHost;
import dev.imajin.inference.text.ClipTokenizer;
import dev.imajin.inference.text.JsonTokenizer;
import dev.imajin.inference.text.SequenceTokenizer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The semantic models this node has loaded. Loading checks the model's files against the registry
 * (a missing, changed or corrupt file answers 422 naming it), hashes the image tower for {@code
 * info}, reads the tokenizer, then has the {@link ModelHost} open both towers inside a GPU Boss
 * lease and checks the graphs against the manifest (a disagreement answers 422 naming both). A
 * model the host drops (the broker reclaimed it while idle, or its lease was lost) is loaded again
 * by the next request. Nothing loads until the GPU Boss has listed the node's devices: until then,
 * 503 with a retry hint.
 */
final class Residency {
  private static final Logger LOG = LoggerFactory.getLogger(Residency.class);

  /** SigLIP's image normalisation, for manifests that give no mean or std. */
  static final float[] HALF = {0.5f, 0.5f, 0.5f};

  /** A loaded model with what a request needs. */
  record Ready(Catalog.Model model, LoadedModel loaded, DualEncoder encoder, String sha256) {}

  private record Hosting(DevicePools pools, LeaseClient leases, ModelHost host) {}

  private record Tokenizer(
      Path folder, Profile.TokenizerFormat format, SequenceTokenizer tokenizer) {}

  private record Prepared(SequenceTokenizer tokenizer, String sha256) {}

  private final WorkerExecutor io;
  private final Catalog catalog;
  private final int waitMs;
  private final Future<Hosting> hosting;
  private final Map<String, Future<Ready>> loads = new ConcurrentHashMap<>();
  private final Map<String, Tokenizer> tokenizers = new ConcurrentHashMap<>();

  /**
   * @param devices the node's devices, once the GPU Boss lists them
   * @param holder the lease holder name, {@code semantic@<node>}
   * @param waitMs how long a load waits for device memory
   */
  Residency(
      Vertx vertx,
      WorkerExecutor io,
      Catalog catalog,
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
        Catalog.SERVICE, "the GPU Boss has not listed this node's devices yet", 1);
  }

  /** The model, loaded: at once when it is, else after loading it (or the load in progress). */
  Future<Ready> ensure(Catalog.Model model) {
    if (!hosting.isComplete()) {
      return Future.failedFuture(notYet());
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
                      || (current.succeeded() && !current.result().loaded().closed()));
          return usable ? current : load(model);
        });
  }

  private Future<Ready> load(Catalog.Model model) {
    ModelHost host = hosting.result().host();
    Map<String, Path> towers = new LinkedHashMap<>();
    towers.put(Profile.VISION, model.profile().vision());
    towers.put(Profile.TEXT, model.profile().text());
    Promise<Ready> done = Promise.promise();
    Future<Ready> load = done.future();
    io.executeBlocking(() -> prepare(model), false)
        .compose(
            prepared ->
                host.load(model.entry(), towers, null, waitMs)
                    .compose(loaded -> encoder(host, model, loaded, prepared)))
        .onSuccess(ready -> LOG.info("model {} ready on {}", model.id(), ready.loaded().device()))
        .onFailure(
            e -> {
              loads.remove(model.id(), load);
              LOG.warn("model {} did not load: {}", model.id(), e.getMessage());
            })
        .recover(e -> Future.failedFuture(asProblem(e)))
        .onComplete(done);
    return load;
  }

  /** Verifies the files, hashes the image tower and reads the tokenizer; blocking. */
  private Prepared prepare(Catalog.Model model) {
    ModelEntry entry = model.entry();
    ModelRegistry registry = catalog.registry();
    try {
      registry.verify(entry);
      var vision = entry.requireFile(Profile.VISION);
      String sha256 = vision.sha256().orElseGet(() -> registry.sha256(vision));
      Path folder = model.profile().tokenizer();
      Profile.TokenizerFormat format = model.profile().tokenizerFormat();
      Tokenizer tokenizer =
          tokenizers.compute(
              entry.id(),
              (id, known) -> {
                if (known != null && known.folder().equals(folder) && known.format() == format) {
                  return known;
                }
                if (known != null) {
                  known.tokenizer().close();
                }
                return new Tokenizer(folder, format, read(folder, format));
              });
      return new Prepared(tokenizer.tokenizer(), sha256);
    } catch (ModelException e) {
      throw ImajinException.unprocessable(e.getMessage());
    } catch (IllegalArgumentException e) {
      throw ImajinException.unprocessable(
          "model '" + entry.id() + "': the tokenizer cannot be read: " + e.getMessage());
    }
  }

  private static SequenceTokenizer read(Path folder, Profile.TokenizerFormat format) {
    return switch (format) {
      case CLIP -> ClipTokenizer.load(folder);
      case JSON -> JsonTokenizer.load(folder);
    };
  }

  private static Future<Ready> encoder(
      ModelHost host, Catalog.Model model, LoadedModel loaded, Prepared prepared) {
    try {
      DualEncoder encoder =
          DualEncoder.of(loaded, model.profile(), prepared.tokenizer(), HALF, HALF);
      return Future.succeededFuture(new Ready(model, loaded, encoder, prepared.sha256()));
    } catch (ModelException e) {
      return host.unload(model.id())
          .transform(v -> Future.failedFuture(ImajinException.unprocessable(e.getMessage())));
    }
  }

  private static Throwable asProblem(Throwable e) {
    return e instanceof ModelException ? ImajinException.unprocessable(e.getMessage()) : e;
  }

  /** Runs inference on a loaded model, on its device's pool, under its lease. */
  <T> Future<T> run(Ready ready, ModelHost.SessionTask<T> task) {
    return hosting.result().host().run(ready.loaded(), task);
  }

  /** The models loaded now. */
  List<Ready> loaded() {
    return loads.values().stream()
        .filter(Future::succeeded)
        .map(Future::result)
        .filter(r -> !r.loaded().closed())
        .toList();
  }

  /** Unloads every model, releases every lease, stops the pools and frees the tokenizers. */
  Future<Void> close() {
    List<Future<Void>> unloads =
        loads.keySet().stream()
            .map(
                id -> {
                  Future<Ready> load = loads.remove(id);
                  return load == null || !hosting.succeeded()
                      ? Future.<Void>succeededFuture()
                      : load.transform(done -> hosting.result().host().unload(id));
                })
            .toList();
    return Future.join(unloads)
        .otherwiseEmpty()
        .compose(
            v ->
                hosting.succeeded()
                    ? hosting
                        .result()
                        .leases()
                        .close()
                        .compose(x -> hosting.result().pools().closeAsync())
                    : Future.<Void>succeededFuture())
        .onComplete(v -> tokenizers.values().forEach(t -> t.tokenizer().close()))
        .mapEmpty();
  }
}
