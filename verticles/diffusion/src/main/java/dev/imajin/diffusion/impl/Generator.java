package dev.imajin.diffusion.impl;

import dev.imajin.contracts.ErrorType;
import dev.imajin.contracts.ImajinException;
import dev.imajin.contracts.diffusion.GeneratedImage;
import dev.imajin.contracts.diffusion.GenerationResult;
import dev.imajin.contracts.diffusion.PhaseTimings;
import dev.imajin.inference.diffusion.Cancellation;
import dev.imajin.inference.diffusion.GeneratedImages;
import dev.imajin.inference.diffusion.StepEvent;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs a plan: loads its model when it is not loaded, runs {@code DiffusionPipeline.generate} on
 * the model's device pool under its lease (the pipeline's failures pass through as they are),
 * encodes the images on the {@code io} pool, and answers the result with its seeds, scheduler,
 * device, the model's file hashes and the time spent per phase.
 */
final class Generator {
  private static final double NANOS_PER_MS = 1_000_000.0;

  /** What a running generation reports; step and started are called on the device's pool. */
  interface Listener {
    Listener NONE = step -> {};

    /** The model is not loaded: loading starts (on the event loop). */
    default void loading() {}

    /** The model finished loading (on the event loop). */
    default void loaded() {}

    /** The generation starts on the device's pool. */
    default void started() {}

    /** A denoising step finished. */
    void step(StepEvent step);
  }

  private record Ran(Residency.Ready ready, GeneratedImages images, long startedAt) {}

  private final WorkerExecutor io;
  private final Residency residency;

  Generator(WorkerExecutor io, Residency residency) {
    this.io = io;
    this.residency = residency;
  }

  /**
   * Runs the plan; {@code ticket} is its admitted place, released when it starts or ends. The
   * generation stops between steps once {@code cancellation} is cancelled, failing with a {@link
   * java.util.concurrent.CancellationException}.
   */
  Future<GenerationResult> run(
      Plans.Plan plan, Admission.Ticket ticket, Listener listener, Cancellation cancellation) {
    long admitted = System.nanoTime();
    boolean wasLoaded = residency.isLoaded(plan.model().id());
    if (!wasLoaded) {
      listener.loading();
    }
    AtomicLong loadNanos = new AtomicLong();
    return residency
        .ensure(plan.model(), null, null)
        .compose(
            ready -> {
              if (!wasLoaded) {
                loadNanos.set(System.nanoTime() - admitted);
                listener.loaded();
              }
              return generate(ready, plan, ticket, listener, cancellation, true);
            })
        .compose(ran -> encode(plan, ran, admitted, loadNanos.get()))
        .onComplete(done -> ticket.leave());
  }

  private Future<Ran> generate(
      Residency.Ready ready,
      Plans.Plan plan,
      Admission.Ticket ticket,
      Listener listener,
      Cancellation cancellation,
      boolean retry) {
    cancellation.check();
    AtomicLong startedAt = new AtomicLong();
    return residency
        .run(
            ready,
            model -> {
              ticket.start();
              startedAt.set(System.nanoTime());
              cancellation.check();
              listener.started();
              return ready
                  .pipeline()
                  .generate(
                      plan.request(),
                      step -> {
                        listener.step(step);
                        cancellation.check();
                      },
                      cancellation);
            })
        .map(images -> new Ran(ready, images, startedAt.get()))
        .recover(
            e -> {
              // The host dropped the model between loading and running (reclaimed, lease lost).
              boolean dropped =
                  e instanceof ImajinException ie
                      && ie.type() == ErrorType.CONFLICT
                      && ready.model().closed();
              return dropped && retry
                  ? residency
                      .ensure(plan.model(), null, null)
                      .compose(
                          again -> generate(again, plan, ticket, listener, cancellation, false))
                  : Future.failedFuture(e);
            });
  }

  private Future<GenerationResult> encode(Plans.Plan plan, Ran ran, long admitted, long loadNanos) {
    return io.executeBlocking(
        () -> {
          long start = System.nanoTime();
          List<GeneratedImage> images = new ArrayList<>();
          GeneratedImages made = ran.images();
          for (int i = 0; i < made.images().size(); i++) {
            images.add(
                new GeneratedImage(
                    i, made.seeds().get(i), Images.result(made.images().get(i), plan.format())));
          }
          long end = System.nanoTime();
          GeneratedImages.Timings t = made.timings();
          double loadMs = loadNanos / NANOS_PER_MS;
          double queueMs = Math.max(0, (ran.startedAt() - admitted) / NANOS_PER_MS - loadMs);
          PhaseTimings timings =
              new PhaseTimings(
                  queueMs,
                  loadNanos > 0 ? loadMs : null,
                  t.encodeMs(),
                  t.denoiseMs(),
                  t.unetMs(),
                  t.decodeMs() + (end - start) / NANOS_PER_MS,
                  (end - admitted) / NANOS_PER_MS);
          var request = plan.request();
          return new GenerationResult(
              plan.mode(),
              plan.model().id(),
              ran.ready().hashes(),
              ModelProfile.contractName(made.scheduler()),
              request.steps(),
              plan.guidance(),
              plan.strength(),
              request.width(),
              request.height(),
              request.seed(),
              ran.ready().model().device(),
              images,
              timings);
        },
        false);
  }
}
