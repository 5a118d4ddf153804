package dev.imajin.contracts.moderator;

import dev.imajin.contracts.BusMessage;
import dev.imajin.contracts.common.Verdict;
import java.time.Instant;
import java.util.List;

/** A moderation decision: the verdict, the reasons that fired and every layer's result. */
public record ModerationResult(
    String decisionId,
    ModerationKind kind,
    Verdict verdict,
    List<ModerationCategory> categories,
    List<Reason> reasons,
    List<LayerResult> layers,
    String policyVersion,
    PdqHash pdq,
    String incidentId,
    String requestId,
    Instant decidedAt)
    implements BusMessage {

  public ModerationResult {
    categories = List.copyOf(categories);
    reasons = List.copyOf(reasons);
    layers = List.copyOf(layers);
  }
}
