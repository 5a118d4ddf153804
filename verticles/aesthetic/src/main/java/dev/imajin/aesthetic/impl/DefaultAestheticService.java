package dev.imajin.aesthetic.impl;

import dev.imajin.aesthetic.AestheticService;
import dev.imajin.contracts.ErrorType;
import dev.imajin.contracts.ImajinException;
import dev.imajin.contracts.aesthetic.RankRequest;
import dev.imajin.contracts.aesthetic.RankResult;
import dev.imajin.contracts.aesthetic.ScoreRequest;
import dev.imajin.contracts.aesthetic.ScoreResult;
import dev.imajin.contracts.common.ImageData;
import dev.imajin.contracts.common.ModelRef;
import dev.imajin.inference.model.ModelCatalog;
import dev.imajin.inference.model.ModelEntry;
import dev.imajin.inference.model.ModelTask;
import dev.imajin.inference.runtime.HostedModels;
import dev.imajin.inference.runtime.ModelRecipe;
import dev.imajin.inference.text.ClipTokenizer;
import dev.imajin.inference.text.Tokenizers;
import dev.imajin.runtime.ServiceContext;
import dev.imajin.runtime.config.ImajinConfig;
import dev.imajin.runtime.images.InlineImages;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link AestheticService} on the model registry and the GPU Boss. */
public final class DefaultAestheticService implements AestheticService {
  static final String SERVICE = "aesthetic";

  /** The worker pool for file checks, image decoding and preprocessing. */
  static final String IO_POOL = "aesthetic-io";

  static final int IO_THREADS = 2;
  static final String DEFAULT_MODEL_KEY = "aesthetic.reward-model";
  static final String MAX_PIXELS_KEY = "aesthetic.max-input-pixels";
  static final String MAX_QUEUED_KEY = "aesthetic.max-queued";
  private static final Logger LOG = LoggerFactory.getLogger(DefaultAestheticService.class);

  /** The rewards of one request's images, in order, and the model that gave them. */
  private record Scored(String model, double[] rewards) {}

  private final WorkerExecutor io;
  private final ModelCatalog catalog;
  private final ImajinConfig.Aesthetic config;
  private final HostedModels models;
  private final Tokenizers<Path, ClipTokenizer> tokenizers = new Tokenizers<>();
  private final ModelRecipe<ClipTokenizer, RewardModel> recipe = RewardModel.recipe(tokenizers);
  private final AtomicBoolean warnedFallback = new AtomicBoolean();
  private final AtomicInteger inProgress = new AtomicInteger();

  private DefaultAestheticService(
      Vertx vertx, ServiceContext context, WorkerExecutor io, ModelCatalog catalog) {
    ImajinConfig all = context.config();
    this.io = io;
    this.catalog = catalog;
    this.config = all.aesthetic();
    this.models =
        HostedModels.discovering(
            SERVICE, vertx, context, io, catalog::registry, config.loadWaitMs());
  }

  /** Scans the model roots (on a worker) and starts asking the GPU Boss for devices. */
  public static Future<DefaultAestheticService> start(Vertx vertx, ServiceContext context) {
    WorkerExecutor io = vertx.createSharedWorkerExecutor(IO_POOL, IO_THREADS, 10, TimeUnit.MINUTES);
    return ModelCatalog.scan(io, context.config().models().paths(), SERVICE, ModelTask.IMAGE_REWARD)
        .map(catalog -> new DefaultAestheticService(vertx, context, io, catalog))
        .onFailure(e -> io.close());
  }

  @Override
  public Future<ScoreResult> scoreImage(ScoreRequest request) {
    long start = System.nanoTime();
    return score(request.model(), request.prompt(), List.of(request.image()), i -> "image")
        .map(s -> new ScoreResult(s.rewards()[0], null, s.model(), null, millisSince(start)));
  }

  @Override
  public Future<RankResult> rankImages(RankRequest request) {
    long start = System.nanoTime();
    return score(
            request.model(), request.prompt(), request.candidates(), i -> "candidates[" + i + "]")
        .map(s -> Ranking.of(s.rewards(), request.minReward(), s.model(), millisSince(start)));
  }

  /**
   * Resolves and loads the model, prepares the images on a worker, runs the model; refused with 503
   * when {@code aesthetic.max-queued} requests are in progress.
   */
  private Future<Scored> score(
      String modelId, String prompt, List<ImageData> images, IntFunction<String> field) {
    if (inProgress.incrementAndGet() > config.maxQueued()) {
      inProgress.decrementAndGet();
      return Future.failedFuture(
          ImajinException.unavailable(
              SERVICE,
              config.maxQueued() + " requests are in progress (" + MAX_QUEUED_KEY + ")",
              1));
    }
    return entry(modelId)
        .compose(
            entry ->
                models
                    .ensure(entry, recipe)
                    .compose(ready -> pixels(ready.model().spec(), images, field))
                    .compose(pixels -> run(entry, pixels, prompt, true)))
        .onComplete(done -> inProgress.decrementAndGet());
  }

  private Future<ModelEntry> entry(String modelId) {
    if (modelId != null) {
      return catalog.resolve(modelId, ModelTask.IMAGE_REWARD);
    }
    String configured = config.rewardModel();
    return catalog
        .preferred(configured, ModelTask.IMAGE_REWARD, DEFAULT_MODEL_KEY)
        .onSuccess(
            entry -> {
              if (!configured.isEmpty()
                  && !entry.id().equals(configured)
                  && warnedFallback.compareAndSet(false, true)) {
                LOG.warn(
                    "{} names '{}', which is not an installed image-reward model; using '{}'",
                    DEFAULT_MODEL_KEY,
                    configured,
                    entry.id());
              }
            });
  }

  /** Decodes and preprocesses the images one after another, so one full-size image is held. */
  private Future<List<float[]>> pixels(
      RewardSpec spec, List<ImageData> images, IntFunction<String> field) {
    return io.executeBlocking(
        () -> {
          List<float[]> out = new ArrayList<>(images.size());
          for (int i = 0; i < images.size(); i++) {
            out.add(
                spec.pixels(
                    InlineImages.decode(
                        images.get(i), field.apply(i), config.maxInputPixels(), MAX_PIXELS_KEY)));
          }
          return out;
        },
        false);
  }

  /**
   * Runs the model; a model unloaded between loading and running (the broker reclaimed it) is
   * loaded once more.
   */
  private Future<Scored> run(ModelEntry entry, List<float[]> pixels, String prompt, boolean retry) {
    return models
        .ensure(entry, recipe)
        .compose(
            ready ->
                models
                    .run(ready, loaded -> ready.model().rewards(pixels, prompt))
                    .map(rewards -> new Scored(entry.id(), rewards))
                    .recover(
                        e ->
                            retry && isConflict(e)
                                ? run(entry, pixels, prompt, false)
                                : Future.failedFuture(runFailure(entry.id(), e))));
  }

  private static boolean isConflict(Throwable e) {
    return e instanceof ImajinException ie && ie.type() == ErrorType.CONFLICT;
  }

  /** A failure while the model ran: the host's own problems pass, anything else is a 500. */
  private static ImajinException runFailure(String model, Throwable e) {
    if (e instanceof ImajinException ie) {
      return ie.type() == ErrorType.CONFLICT
          ? ImajinException.unavailable(SERVICE, ie.getMessage(), 1)
          : ie;
    }
    return new ImajinException(
        ErrorType.INTERNAL,
        "Service '"
            + SERVICE
            + "' failed: reward model '"
            + model
            + "' did not run: "
            + (e.getMessage() == null ? e.toString() : e.getMessage()),
        SERVICE,
        List.of(),
        null,
        e);
  }

  private static long millisSince(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  @Override
  public Future<Void> devicesReady() {
    return models.ready();
  }

  @Override
  public List<ModelRef> loadedModels() {
    return models.refs();
  }

  @Override
  public Future<Void> close() {
    return models.close().onComplete(done -> tokenizers.close()).eventually(() -> io.close());
  }
}
