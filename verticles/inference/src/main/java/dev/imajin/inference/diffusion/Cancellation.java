package dev.imajin.inference.diffusion;

import java.util.concurrent.CancellationException;

/** Asks a running generation to stop; the pipeline checks it between steps. Thread-safe. */
public final class Cancellation {
  private volatile String reason;

  public void cancel(String why) {
    reason = why == null ? "cancelled" : why;
  }

  public boolean cancelled() {
    return reason != null;
  }

  /** Throws {@link CancellationException} when cancelled. */
  public void check() {
    String why = reason;
    if (why != null) {
      throw new CancellationException(why);
    }
  }
}
