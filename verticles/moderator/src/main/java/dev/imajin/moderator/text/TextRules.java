package dev.imajin.moderator.text;

import dev.imajin.contracts.moderator.RuleHit;
import dev.imajin.moderator.text.PromptNormaliser.Token;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A set of {@link TextRule}s, compiled once, matched against prompts through {@link
 * PromptNormaliser}. A term matches where its skeleton appears in the prompt's skeleton at token
 * boundaries, re-split or not, with an optional plural "s" or "es" (see {@link TermMatcher}); so
 * "b1ack s t a r", "bl\u200Back st\u200Bar" and "blackstar" match "black star", and "a black
 * starfish" and "blackboard star" do not.
 *
 * <p>Matching costs time roughly linear in the prompt's length times the number of term characters,
 * with no backtracking. Immutable and thread-safe: one instance may serve every caller.
 */
public final class TextRules {
  private final List<TextRule> rules;
  private final List<List<TermMatcher>> matchers;

  private TextRules(List<TextRule> rules) {
    this.rules = List.copyOf(rules);
    Set<String> ids = new HashSet<>();
    List<List<TermMatcher>> compiled = new ArrayList<>();
    for (TextRule rule : this.rules) {
      if (!ids.add(rule.id())) {
        throw new IllegalArgumentException("text rule '" + rule.id() + "' is defined twice");
      }
      compiled.add(rule.terms().stream().map(TermMatcher::new).toList());
    }
    this.matchers = List.copyOf(compiled);
  }

  /**
   * Compiles the rules.
   *
   * @throws IllegalArgumentException when two rules share an id
   */
  public static TextRules of(List<TextRule> rules) {
    return new TextRules(Objects.requireNonNull(rules, "rules"));
  }

  /** The rules, in the order given. */
  public List<TextRule> rules() {
    return rules;
  }

  /**
   * The rules the prompt hits: at most one hit per rule, in rule order. A hit names the first of
   * the rule's terms that matched, as written in the rule, and is obfuscated when that term does
   * not occur in the prompt's plain form as whole words.
   */
  public List<RuleHit> match(String prompt) {
    List<Token> tokens = PromptNormaliser.skeleton(prompt);
    String plain = null;
    List<RuleHit> hits = new ArrayList<>();
    for (int r = 0; r < rules.size(); r++) {
      for (TermMatcher matcher : matchers.get(r)) {
        if (matcher.matches(tokens)) {
          if (plain == null) {
            plain = PromptNormaliser.plain(prompt);
          }
          TextRule rule = rules.get(r);
          boolean obfuscated = !matcher.occursPlainly(plain);
          hits.add(new RuleHit(rule.id(), rule.category(), matcher.term(), obfuscated));
          break;
        }
      }
    }
    return List.copyOf(hits);
  }
}
