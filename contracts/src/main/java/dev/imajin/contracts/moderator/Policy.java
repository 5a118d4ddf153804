package dev.imajin.contracts.moderator;

import dev.imajin.contracts.BusMessage;
import java.time.Instant;
import java.util.List;

/**
 * The moderation policy in force: its version, the padding of answers, the layers it requires, its
 * prompt text rules and zero-shot concepts, and its rules.
 */
public record Policy(
    String version,
    String description,
    String sha256,
    Instant loadedAt,
    long responseFloorMs,
    Long responseQuantumMs,
    List<LayerPolicy> layers,
    List<PolicyTextRule> textRules,
    List<PolicyConcept> concepts,
    List<PolicyRule> rules)
    implements BusMessage {

  public Policy {
    layers = layers == null ? List.of() : List.copyOf(layers);
    textRules = textRules == null ? List.of() : List.copyOf(textRules);
    concepts = concepts == null ? List.of() : List.copyOf(concepts);
    rules = rules == null ? List.of() : List.copyOf(rules);
  }
}
