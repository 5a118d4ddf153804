package dev.imajin.moderator.text;

import dev.imajin.contracts.moderator.ModerationCategory;
import java.util.List;

/**
 * A prompt text rule: a prompt that contains any of the terms, however obfuscated, is a hit in the
 * category. Terms are written as plain words ("black star"); {@link TextRules} compares them
 * through {@link PromptNormaliser}, so they need not list obfuscated spellings or plurals in "s"
 * and "es".
 *
 * @param id the rule's identifier, such as {@code hate.black_star}; not blank
 * @param category the category a hit is reported in
 * @param terms the terms, at least one, each with at least one letter or digit once normalised; the
 *     first term that matches is the one reported
 */
public record TextRule(String id, ModerationCategory category, List<String> terms) {
  /**
   * Validates and copies the rule.
   *
   * @throws IllegalArgumentException naming the rule when a part is missing or a term normalises to
   *     nothing
   */
  public TextRule {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("text rule id must not be blank");
    }
    if (category == null) {
      throw new IllegalArgumentException("text rule '" + id + "' has no category");
    }
    if (terms == null || terms.isEmpty()) {
      throw new IllegalArgumentException("text rule '" + id + "' has no terms");
    }
    for (String term : terms) {
      if (term == null) {
        throw new IllegalArgumentException("text rule '" + id + "' has a null term");
      }
      if (PromptNormaliser.skeleton(term).isEmpty()) {
        throw new IllegalArgumentException(
            "text rule '"
                + id
                + "': term '"
                + term
                + "' has no letters or digits after normalisation");
      }
    }
    terms = List.copyOf(terms);
  }
}
