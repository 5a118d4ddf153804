package dev.imajin.moderator.layers;

import dev.imajin.contracts.moderator.Layer;
import dev.imajin.contracts.moderator.LayerPolicy;
import dev.imajin.moderator.policy.LayerOutcome;
import dev.imajin.moderator.policy.ModerationPolicy;
import io.vertx.core.Future;

/**
 * One of the five layers. {@link #run} reports what the layer found as signals for the policy; it
 * fails (or is cut off by the layer's time budget) when the layer cannot run, which the caller
 * turns into an {@code unavailable} result. Layers never decide: the policy does.
 */
public interface ModerationLayer {
  Layer layer();

  /**
   * Runs the layer on one request.
   *
   * @param settings the policy's settings of this layer
   * @param policy the policy in force, for the thresholds shown next to scores
   */
  Future<LayerOutcome> run(ModerationInput in, LayerPolicy settings, ModerationPolicy policy);

  /** Loads what the layer needs ahead of the first request; failures are only logged. */
  default Future<Void> warm(LayerPolicy settings) {
    return Future.succeededFuture();
  }
}
