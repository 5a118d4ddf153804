package dev.imajin.contracts.moderator;

import dev.imajin.contracts.BusMessage;
import dev.imajin.contracts.common.Verdict;
import java.time.Instant;
import java.util.List;

/** A {@code block} or {@code review} decision as logged; never holds image bytes. */
public record Incident(
    String id,
    String decisionId,
    Instant at,
    ModerationKind kind,
    Verdict verdict,
    List<ModerationCategory> categories,
    List<Reason> reasons,
    List<LayerResult> layers,
    String policyVersion,
    PdqHash pdq,
    String requestId,
    RequestContext context,
    String prompt)
    implements BusMessage {

  public Incident {
    categories = List.copyOf(categories);
    reasons = List.copyOf(reasons);
    layers = List.copyOf(layers);
  }
}
