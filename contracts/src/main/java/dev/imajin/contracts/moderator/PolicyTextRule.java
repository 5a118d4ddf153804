package dev.imajin.contracts.moderator;

import java.util.List;

/**
 * A prompt text rule of the {@code prohibited_content} layer: terms that, found in a prompt after
 * normalisation against spacing, leetspeak and confusable Unicode, make the rule hit (signal {@code
 * rule:<id>}).
 */
public record PolicyTextRule(
    String id, String description, ModerationCategory category, List<String> terms) {
  public PolicyTextRule {
    terms = terms == null ? null : List.copyOf(terms);
  }
}
