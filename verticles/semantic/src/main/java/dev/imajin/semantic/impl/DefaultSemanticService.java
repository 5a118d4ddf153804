package dev.imajin.semantic.impl;

import dev.imajin.contracts.ErrorType;
import dev.imajin.contracts.ImajinException;
import dev.imajin.contracts.common.FieldError;
import dev.imajin.contracts.common.ImageData;
import dev.imajin.contracts.common.ModelRef;
import dev.imajin.contracts.semantic.ConceptScore;
import dev.imajin.contracts.semantic.ConceptScore.Expected;
import dev.imajin.contracts.semantic.ScoreRequest;
import dev.imajin.contracts.semantic.ScoreResult;
import dev.imajin.contracts.semantic.TextScore;
import dev.imajin.contracts.semantic.ValidationRequest;
import dev.imajin.contracts.semantic.ValidationResult;
import dev.imajin.inference.runtime.HostedModels;
import dev.imajin.runtime.ServiceContext;
import dev.imajin.runtime.config.ImajinConfig;
import dev.imajin.runtime.images.InlineImages;
import dev.imajin.semantic.SemanticService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** {@link SemanticService} on the model registry and the GPU Boss. */
public final class DefaultSemanticService implements SemanticService {
  /** The worker pool for scans, file checks, image decoding and preprocessing. */
  static final String IO_POOL = "semantic-io";

  static final int IO_THREADS = 2;
  static final int RETRY_AFTER_SECONDS = 1;
  static final String MAX_PIXELS_KEY = "semantic.max-input-pixels";

  private final WorkerExecutor io;
  private final ImajinConfig.Semantic config;
  private final Catalog catalog;
  private final HostedModels models;
  private final Encoders encoders = new Encoders();
  private final AtomicInteger inFlight = new AtomicInteger();

  private DefaultSemanticService(
      Vertx vertx, ServiceContext context, WorkerExecutor io, Catalog catalog) {
    ImajinConfig all = context.config();
    this.io = io;
    this.config = all.semantic();
    this.catalog = catalog;
    this.models =
        HostedModels.discovering(
            Catalog.SERVICE, vertx, context, io, catalog::registry, config.loadWaitMs());
  }

  /** Scans the model roots (on a worker) and starts asking the GPU Boss for devices. */
  public static Future<DefaultSemanticService> start(Vertx vertx, ServiceContext context) {
    WorkerExecutor io = vertx.createSharedWorkerExecutor(IO_POOL, IO_THREADS, 10, TimeUnit.MINUTES);
    ImajinConfig config = context.config();
    return Catalog.scan(io, config.models().paths(), config.semantic().defaultModel())
        .map(catalog -> new DefaultSemanticService(vertx, context, io, catalog))
        .onFailure(e -> io.close());
  }

  @Override
  public Future<ScoreResult> scoreImage(ScoreRequest request) {
    long start = System.nanoTime();
    return score(request.image(), request.texts(), request.template(), request.model())
        .map(
            scored -> {
              List<TextScore> scores = new ArrayList<>();
              for (int i = 0; i < request.texts().size(); i++) {
                double logit = scored.logits()[i];
                scores.add(new TextScore(request.texts().get(i), Scoring.sigmoid(logit), logit));
              }
              return new ScoreResult(scored.model().id(), scores, elapsedMs(start));
            });
  }

  @Override
  public Future<ValidationResult> validateImage(ValidationRequest request) {
    long start = System.nanoTime();
    List<String> absent = request.absent() == null ? List.of() : request.absent();
    List<String> concepts = new ArrayList<>(request.present());
    concepts.addAll(absent);
    if (request.threshold() != null && !(request.threshold() >= 0 && request.threshold() <= 1)) {
      return Future.failedFuture(
          invalid("/threshold", "threshold must be between 0 and 1, was " + request.threshold()));
    }
    return score(request.image(), concepts, request.template(), request.model())
        .map(
            scored -> {
              double threshold =
                  request.threshold() != null
                      ? request.threshold()
                      : scored.model().profile().threshold();
              List<ConceptScore> scores = new ArrayList<>();
              boolean passed = true;
              for (int i = 0; i < concepts.size(); i++) {
                boolean wanted = i < request.present().size();
                double logit = scored.logits()[i];
                double score = Scoring.sigmoid(logit);
                boolean ok = wanted ? score >= threshold : score < threshold;
                passed &= ok;
                scores.add(
                    new ConceptScore(
                        concepts.get(i),
                        scored.texts().get(i),
                        wanted ? Expected.PRESENT : Expected.ABSENT,
                        score,
                        logit,
                        ok));
              }
              return new ValidationResult(
                  passed, threshold, scored.model().id(), scores, elapsedMs(start));
            });
  }

  /** The model that scored, the texts it encoded and one logit per text. */
  private record Scored(Catalog.Model model, List<String> texts, double[] logits) {}

  private Future<Scored> score(
      ImageData image, List<String> concepts, String template, String modelId) {
    if (template != null && !Profile.TEMPLATE.matcher(template).matches()) {
      return Future.failedFuture(
          invalid("/template", "template must hold one {} and no other brace, was " + template));
    }
    if (concepts.isEmpty()) {
      return Future.failedFuture(invalid("/texts", "at least one text is needed"));
    }
    if (inFlight.incrementAndGet() > config.maxQueued()) {
      inFlight.decrementAndGet();
      return Future.failedFuture(
          ImajinException.unavailable(
              Catalog.SERVICE,
              config.maxQueued() + " requests are already waiting (semantic.max-queued)",
              RETRY_AFTER_SECONDS));
    }
    return catalog
        .resolve(modelId)
        .compose(model -> load(model, image))
        .compose(
            loaded -> {
              Catalog.Model model = loaded.model();
              String wrap = template != null ? template : model.profile().template();
              List<String> texts = concepts.stream().map(c -> Profile.fill(wrap, c)).toList();
              return io.executeBlocking(
                      () -> loaded.ready().model().preprocess().pixels(loaded.image()), false)
                  .compose(pixels -> run(model, loaded.ready(), pixels, texts, true))
                  .map(logits -> new Scored(model, texts, logits));
            })
        .onComplete(done -> inFlight.decrementAndGet());
  }

  private record Loaded(
      Catalog.Model model, HostedModels.Ready<DualEncoder> ready, BufferedImage image) {}

  /** Decodes the image while the model loads; a bad image is answered before a failed load. */
  private Future<Loaded> load(Catalog.Model model, ImageData image) {
    Future<BufferedImage> decoded =
        io.executeBlocking(
            () -> InlineImages.decode(image, "image", config.maxInputPixels(), MAX_PIXELS_KEY),
            false);
    Future<HostedModels.Ready<DualEncoder>> ready = ensure(model);
    return Future.join(decoded, ready)
        .transform(
            done ->
                decoded.failed()
                    ? Future.failedFuture(decoded.cause())
                    : ready.failed()
                        ? Future.failedFuture(ready.cause())
                        : Future.succeededFuture(
                            new Loaded(model, ready.result(), decoded.result())));
  }

  private Future<HostedModels.Ready<DualEncoder>> ensure(Catalog.Model model) {
    return models.ensure(model.entry(), encoders.recipe(model));
  }

  /**
   * Runs both towers on the device's pool; a model dropped since it loaded is loaded again once.
   */
  private Future<double[]> run(
      Catalog.Model model,
      HostedModels.Ready<DualEncoder> ready,
      float[] pixels,
      List<String> texts,
      boolean retry) {
    Profile profile = model.profile();
    return models
        .run(
            ready,
            loaded -> {
              float[] image = ready.model().image(pixels);
              List<float[]> embedded = ready.model().texts(texts);
              double[] logits = new double[texts.size()];
              for (int i = 0; i < logits.length; i++) {
                logits[i] =
                    Scoring.logit(
                        image, embedded.get(i), profile.logitScale(), profile.logitBias());
              }
              return logits;
            })
        .recover(
            e -> {
              boolean dropped =
                  e instanceof ImajinException ie
                      && ie.type() == ErrorType.CONFLICT
                      && ready.loaded().closed();
              if (dropped && retry) {
                return ensure(model).compose(again -> run(model, again, pixels, texts, false));
              }
              return Future.failedFuture(failure(ready, e));
            });
  }

  /** The runtime's failures are the service's: 500 naming it and the model. */
  private static Throwable failure(HostedModels.Ready<DualEncoder> ready, Throwable e) {
    if (e instanceof ImajinException ie) {
      return ImajinException.unavailableIfConflict(ie, Catalog.SERVICE);
    }
    return new ImajinException(
        ErrorType.INTERNAL,
        "Service 'semantic' failed: model '"
            + ready.entry().id()
            + "' on "
            + ready.loaded().device()
            + ": "
            + (e.getMessage() == null ? e.toString() : e.getMessage()),
        Catalog.SERVICE,
        List.of(),
        null,
        e);
  }

  private static ImajinException invalid(String pointer, String detail) {
    return ImajinException.validation(detail, List.of(new FieldError(pointer, detail)));
  }

  private static long elapsedMs(long startNanos) {
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
    return models.close().onComplete(done -> encoders.close()).eventually(() -> io.close());
  }
}
