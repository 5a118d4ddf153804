package dev.imajin.diffusion.impl;

import dev.imajin.contracts.ImajinException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the generations that wait: from admission until their work starts on the device's pool
 * (loading the model and queueing for a worker included), at most {@code diffusion.max-queued}
 * generations wait; one more is refused with 503 and a retry hint, so a flood cannot pile decoded
 * inputs up in memory. Thread-safe.
 */
final class Admission {
  static final int RETRY_AFTER_SECONDS = 1;

  private final int maxWaiting;
  private final AtomicInteger waiting = new AtomicInteger();

  Admission(int maxWaiting) {
    this.maxWaiting = maxWaiting;
  }

  /**
   * A place among the waiting generations.
   *
   * @throws ImajinException 503 with {@code Retry-After} when every place is taken
   */
  Ticket admit() {
    if (waiting.incrementAndGet() > maxWaiting) {
      waiting.decrementAndGet();
      throw ImajinException.unavailable(
          "diffusion",
          maxWaiting + " generations are already waiting (diffusion.max-queued)",
          RETRY_AFTER_SECONDS);
    }
    return new Ticket();
  }

  int waiting() {
    return waiting.get();
  }

  /** One admitted generation; it stops counting as waiting once its work starts or ends. */
  final class Ticket {
    private final AtomicBoolean left = new AtomicBoolean();
    private volatile boolean started;

    /** The work started on the device's pool. */
    void start() {
      started = true;
      leave();
    }

    boolean started() {
      return started;
    }

    /** The generation ended, whether or not it started. */
    void leave() {
      if (left.compareAndSet(false, true)) {
        waiting.decrementAndGet();
      }
    }
  }
}
