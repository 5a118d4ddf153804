package dev.imajin.contracts.moderator;

import java.util.List;

/** A rule that fires when all its conditions hold, with the category and action it gives. */
public record PolicyRule(
    String id,
    String description,
    List<PolicyCondition> when,
    ModerationCategory category,
    Action action) {

  public PolicyRule {
    when = List.copyOf(when);
  }
}
