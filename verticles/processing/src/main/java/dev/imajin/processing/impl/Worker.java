package dev.imajin.processing.impl;

import dev.imajin.contracts.ImajinException;
import dev.imajin.runtime.config.ImajinConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs image work on the {@code processing} worker pool, never on an event loop, within bounds: at
 * most pool size + {@code max-queued} requests at once (more are refused with 503 and a retry hint,
 * so a flood cannot pile decoded images up in memory), and each within the deadline (a late request
 * is answered 503 and its work is told to stop: the decoder is aborted, later steps check {@link
 * Job#checkDeadline()}).
 */
public final class Worker {
  static final String POOL = "processing";

  private final Vertx vertx;
  private final WorkerExecutor executor;
  private final int capacity;
  private final long deadlineMs;
  private final AtomicInteger inFlight = new AtomicInteger();

  public Worker(Vertx vertx, ImajinConfig.Processing config) {
    this.vertx = vertx;
    this.executor =
        vertx.createSharedWorkerExecutor(
            POOL, config.poolSize(), config.deadlineMs() * 2, TimeUnit.MILLISECONDS);
    this.capacity = config.poolSize() + config.maxQueued();
    this.deadlineMs = config.deadlineMs();
  }

  /** One request's work: its deadline and what to abort when it passes. */
  public static final class Job {
    private final List<Runnable> onExpiry = new CopyOnWriteArrayList<>();
    private volatile boolean expired;

    /** Registers something to stop (an image reader's abort) if the deadline passes. */
    public void onExpiry(Runnable abort) {
      onExpiry.add(abort);
      if (expired) {
        abort.run();
      }
    }

    /** Stops the work when its deadline has passed; call between steps. */
    public void checkDeadline() {
      if (expired) {
        throw new DeadlinePassed();
      }
    }

    void expire() {
      expired = true;
      onExpiry.forEach(Runnable::run);
    }
  }

  /** Thrown inside a job whose deadline has passed; its caller has been answered already. */
  static final class DeadlinePassed extends RuntimeException {
    DeadlinePassed() {
      super("deadline passed", null, false, false);
    }
  }

  /** Runs the task on the pool; completes on the caller's context. */
  public <T> Future<T> run(Function<Job, T> task) {
    if (inFlight.incrementAndGet() > capacity) {
      inFlight.decrementAndGet();
      return Future.failedFuture(
          ImajinException.unavailable(
              "processing", "all " + capacity + " places for image work are taken", 1));
    }
    Job job = new Job();
    Promise<T> answer = Promise.promise();
    long timer =
        vertx.setTimer(
            deadlineMs,
            t -> {
              job.expire();
              answer.tryFail(
                  ImajinException.unavailable(
                      "processing",
                      "the request did not finish within its deadline of " + deadlineMs + " ms",
                      1));
            });
    executor
        .<T>executeBlocking(() -> task.apply(job), false)
        .onComplete(
            done -> {
              vertx.cancelTimer(timer);
              inFlight.decrementAndGet();
              if (done.succeeded()) {
                answer.tryComplete(done.result());
              } else {
                answer.tryFail(done.cause());
              }
            });
    return answer.future();
  }

  /** Requests running or waiting now. */
  public int inFlight() {
    return inFlight.get();
  }

  public Future<Void> close() {
    return executor.close();
  }
}
