package dev.imajin.inference.model;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.util.concurrent.Callable;

/**
 * The latest scan of a catalog's model roots, and a fresh one on demand: at most one scan runs at a
 * time, on the worker pool, and no more often than the interval allows (a caller within it gets the
 * latest). Callers on an event loop never block.
 *
 * @param <S> what a scan produces
 */
public final class Rescans<S> {
  private final WorkerExecutor io;
  private final Callable<S> scan;
  private final long minIntervalNanos;
  private volatile S latest;
  private volatile long scannedAtNanos;
  private Future<S> running;

  /** Starts from {@code first}, a scan that has just been made. */
  public Rescans(WorkerExecutor io, Callable<S> scan, long minIntervalMs, S first) {
    this.io = io;
    this.scan = scan;
    this.minIntervalNanos = minIntervalMs * 1_000_000;
    this.latest = first;
    this.scannedAtNanos = System.nanoTime();
  }

  public S latest() {
    return latest;
  }

  /** A new scan, or the one running, or the latest when it is younger than the interval. */
  public synchronized Future<S> fresh() {
    if (System.nanoTime() - scannedAtNanos < minIntervalNanos) {
      return Future.succeededFuture(latest);
    }
    if (running != null) {
      return running;
    }
    // Kept before the listener is added: a scan that has already finished calls it at once, on
    // this thread, and the listener clears it; the local is what this call returns.
    Future<S> started = io.executeBlocking(scan, false);
    running = started;
    started.onComplete(
        done -> {
          synchronized (this) {
            if (running == started) {
              running = null;
            }
            if (done.succeeded()) {
              latest = done.result();
              scannedAtNanos = System.nanoTime();
            }
          }
        });
    return started;
  }
}
