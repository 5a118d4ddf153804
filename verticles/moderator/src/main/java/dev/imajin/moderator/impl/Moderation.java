package dev.imajin.moderator.impl;

import dev.imajin.contracts.ImajinException;
import dev.imajin.contracts.common.Verdict;
import dev.imajin.contracts.moderator.Incident;
import dev.imajin.contracts.moderator.Layer;
import dev.imajin.contracts.moderator.LayerPolicy;
import dev.imajin.contracts.moderator.ModerateImageRequest;
import dev.imajin.contracts.moderator.ModeratePromptRequest;
import dev.imajin.contracts.moderator.ModerationKind;
import dev.imajin.contracts.moderator.ModerationResult;
import dev.imajin.contracts.moderator.PdqHash;
import dev.imajin.contracts.moderator.RequestContext;
import dev.imajin.moderator.incidents.IncidentLog;
import dev.imajin.moderator.layers.ModerationInput;
import dev.imajin.moderator.layers.ModerationLayer;
import dev.imajin.moderator.pdq.Pdq;
import dev.imajin.moderator.pdq.PdqImages;
import dev.imajin.moderator.policy.Decider;
import dev.imajin.moderator.policy.LayerOutcome;
import dev.imajin.moderator.policy.ModerationPolicy;
import dev.imajin.runtime.Ids;
import dev.imajin.runtime.images.InlineImages;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.awt.image.BufferedImage;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One moderation: the image is decoded and PDQ-hashed once; all five layers run at once, each
 * within its time budget (a layer that fails or overruns is {@code unavailable}); the {@link
 * Decider} applies the policy; a {@code block} or {@code review} is appended to the incident log
 * before the answer; and the answer is held until the response floor (or the next multiple of the
 * quantum past it), counted from the request's arrival, so its timing does not show the verdict or
 * which layer fired. Bad input (undecodable image, over the pixel limit) is answered at once,
 * unpadded: it reveals nothing about the layers, none of which ran.
 */
final class Moderation {
  private static final Logger LOG = LoggerFactory.getLogger("imajin.moderation");

  private final Vertx vertx;
  private final WorkerExecutor worker;
  private final ModerationPolicy policy;
  private final Decider decider;
  private final List<ModerationLayer> layers;
  private final IncidentLog incidents;
  private final long maxPixels;

  Moderation(
      Vertx vertx,
      WorkerExecutor worker,
      ModerationPolicy policy,
      List<ModerationLayer> layers,
      IncidentLog incidents,
      long maxPixels) {
    this.vertx = vertx;
    this.worker = worker;
    this.policy = policy;
    this.decider = new Decider(policy);
    this.layers = List.copyOf(layers);
    this.incidents = incidents;
    this.maxPixels = maxPixels;
  }

  ModerationPolicy policy() {
    return policy;
  }

  /**
   * Loads what every layer needs (its models, or the models of the service it calls) ahead of the
   * first request; fails, naming the layers, when one could not.
   */
  Future<Void> warm() {
    List<Future<Void>> all = new ArrayList<>();
    for (ModerationLayer layer : layers) {
      all.add(
          layer
              .warm(policy.layer(layer.layer()))
              .recover(
                  e ->
                      Future.failedFuture(
                          new IllegalStateException(
                              wire(layer.layer()) + ": " + e.getMessage(), e))));
    }
    return Future.join(all)
        .recover(
            e -> {
              List<String> failed = new ArrayList<>();
              for (Future<Void> f : all) {
                if (f.failed()) {
                  failed.add(f.cause().getMessage());
                }
              }
              return Future.failedFuture(
                  new IllegalStateException("layers not ready: " + String.join("; ", failed), e));
            })
        .mapEmpty();
  }

  Future<ModerationResult> image(ModerateImageRequest request, String requestId) {
    long start = System.nanoTime();
    return worker
        .executeBlocking(
            () -> {
              InlineImages.Read read =
                  InlineImages.read(request.image(), "image", maxPixels, HashBanks.MAX_PIXELS_KEY);
              return new Decoded(
                  read.image(), Pdq.hash(read.image(), PdqImages.isGrey(read.file())));
            },
            false)
        .compose(
            d ->
                decide(
                    ModerationKind.IMAGE,
                    new ModerationInput(
                        request.image(),
                        d.image(),
                        d.pdq(),
                        request.prompt(),
                        request.context(),
                        requestId(request.context(), requestId)),
                    layers,
                    start));
  }

  Future<ModerationResult> prompt(ModeratePromptRequest request, String requestId) {
    long start = System.nanoTime();
    if (request.prompt() == null || request.prompt().isBlank()) {
      return Future.failedFuture(ImajinException.badRequest("prompt must not be blank"));
    }
    List<ModerationLayer> text =
        layers.stream().filter(l -> l.layer() == Layer.PROHIBITED_CONTENT).toList();
    return decide(
        ModerationKind.PROMPT,
        new ModerationInput(
            null,
            null,
            null,
            request.prompt(),
            request.context(),
            requestId(request.context(), requestId)),
        text,
        start);
  }

  private Future<ModerationResult> decide(
      ModerationKind kind, ModerationInput in, List<ModerationLayer> running, long start) {
    List<Future<LayerOutcome>> outcomes = new ArrayList<>();
    for (ModerationLayer layer : running) {
      outcomes.add(run(layer, in));
    }
    return Future.all(outcomes)
        .compose(
            all -> {
              List<LayerOutcome> done = new ArrayList<>();
              for (Future<LayerOutcome> f : outcomes) {
                done.add(f.result());
              }
              Decider.Decision d = decider.decide(done);
              String decisionId = Ids.next("dec_");
              Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
              PdqHash pdq =
                  in.pdq() == null
                      ? null
                      : new PdqHash(in.pdq().hash().toHex(), in.pdq().quality(), null);
              Future<String> incident =
                  d.verdict() == Verdict.ALLOW
                      ? Future.succeededFuture(null)
                      : incidents.append(
                          new Incident(
                              null,
                              decisionId,
                              at,
                              kind,
                              d.verdict(),
                              d.categories(),
                              d.reasons(),
                              d.layers(),
                              policy.version(),
                              pdq,
                              in.requestId(),
                              in.context(),
                              in.prompt()));
              return incident
                  .recover(
                      e ->
                          Future.failedFuture(
                              ImajinException.unavailable(
                                  DefaultModeratorService.SERVICE,
                                  "the "
                                      + wire(d.verdict())
                                      + " decision could not be written to the incident log: "
                                      + e.getMessage(),
                                  1)))
                  .map(
                      incidentId -> {
                        LOG.info(
                            "moderator: {} {} -> {} {} [{}]",
                            wire(kind),
                            decisionId,
                            wire(d.verdict()),
                            d.reasons().stream().map(r -> r.code()).toList(),
                            in.requestId());
                        return new ModerationResult(
                            decisionId,
                            kind,
                            d.verdict(),
                            d.categories(),
                            d.reasons(),
                            d.layers(),
                            policy.version(),
                            pdq,
                            incidentId,
                            in.requestId(),
                            at);
                      });
            })
        .transform(done -> padded(done, start));
  }

  /** One layer within its budget; a failure or an overrun is an {@code unavailable} result. */
  private Future<LayerOutcome> run(ModerationLayer layer, ModerationInput in) {
    LayerPolicy settings = policy.layer(layer.layer());
    Promise<LayerOutcome> outcome = Promise.promise();
    long timer =
        vertx.setTimer(
            settings.timeoutMs(),
            t ->
                outcome.tryComplete(
                    unavailable(
                        settings, "did not answer within " + settings.timeoutMs() + " ms")));
    Future<LayerOutcome> running;
    try {
      running = layer.run(in, settings, policy);
    } catch (RuntimeException e) {
      running = Future.failedFuture(e);
    }
    running.onComplete(
        done -> {
          vertx.cancelTimer(timer);
          if (done.succeeded()) {
            outcome.tryComplete(done.result());
          } else {
            String why = done.cause().getMessage();
            outcome.tryComplete(unavailable(settings, why == null ? done.cause().toString() : why));
          }
        });
    return outcome.future();
  }

  private static LayerOutcome unavailable(LayerPolicy settings, String why) {
    String model =
        settings.models() == null || settings.models().isEmpty()
            ? null
            : settings.models().get(settings.models().size() - 1);
    return LayerOutcome.unavailable(settings.layer(), settings.required(), model, why);
  }

  /**
   * The answer (or failure) held until {@code start + floor}, or, past the floor, until the next
   * multiple of the quantum.
   */
  private <T> Future<T> padded(io.vertx.core.AsyncResult<T> done, long start) {
    long floor = policy.responseFloorMs() * 1_000_000L;
    long quantum = policy.responseQuantumMs() * 1_000_000L;
    long elapsed = System.nanoTime() - start;
    long target = elapsed <= floor ? floor : floor + ceilDiv(elapsed - floor, quantum) * quantum;
    long waitMs = ceilDiv(target - elapsed, 1_000_000L);
    if (waitMs < 1) {
      return done.succeeded()
          ? Future.succeededFuture(done.result())
          : Future.failedFuture(done.cause());
    }
    Promise<T> held = Promise.promise();
    vertx.setTimer(waitMs, t -> held.handle(done));
    return held.future();
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }

  private static String requestId(RequestContext context, String fallback) {
    return context != null && context.requestId() != null ? context.requestId() : fallback;
  }

  private static String wire(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  /** The request's image, decoded once for every layer, and its PDQ hash. */
  private record Decoded(BufferedImage image, Pdq.Result pdq) {}
}
