package dev.imajin.contracts.moderator;

import dev.imajin.contracts.BusMessage;
import java.time.Instant;
import java.util.List;

/** The moderation policy in force: its version, the layers it requires and its rules. */
public record Policy(
    String version,
    String description,
    String sha256,
    Instant loadedAt,
    long responseFloorMs,
    List<LayerPolicy> layers,
    List<PolicyRule> rules)
    implements BusMessage {

  public Policy {
    layers = List.copyOf(layers);
    rules = List.copyOf(rules);
  }
}
