package dev.imajin.moderator.policy;

import dev.imajin.contracts.moderator.Layer;
import dev.imajin.contracts.moderator.LayerResult;
import java.util.List;

/**
 * What one layer reported for one request: its result as the caller sees it (status {@code passed}
 * or {@code unavailable}; the {@link Decider} sets {@code flagged}) and the signals policy rules
 * test. An unavailable layer has no signals.
 */
public record LayerOutcome(LayerResult result, List<Signal> signals) {
  public LayerOutcome {
    signals = List.copyOf(signals);
    if (result.status() == LayerResult.Status.UNAVAILABLE && !signals.isEmpty()) {
      throw new IllegalArgumentException("an unavailable layer has no signals");
    }
  }

  public Layer layer() {
    return result.layer();
  }

  public boolean available() {
    return result.status() != LayerResult.Status.UNAVAILABLE;
  }

  /** The outcome of a layer that could not run, and why. */
  public static LayerOutcome unavailable(
      Layer layer, boolean required, String modelId, String why) {
    return new LayerOutcome(
        new LayerResult(
            layer,
            LayerResult.Status.UNAVAILABLE,
            required,
            modelId,
            why,
            null,
            null,
            null,
            null,
            null),
        List.of());
  }
}
