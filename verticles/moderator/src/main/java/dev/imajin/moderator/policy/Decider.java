package dev.imajin.moderator.policy;

import dev.imajin.contracts.common.Verdict;
import dev.imajin.contracts.moderator.Action;
import dev.imajin.contracts.moderator.Layer;
import dev.imajin.contracts.moderator.LayerPolicy;
import dev.imajin.contracts.moderator.LayerResult;
import dev.imajin.contracts.moderator.ModerationCategory;
import dev.imajin.contracts.moderator.PolicyConcept;
import dev.imajin.contracts.moderator.PolicyCondition;
import dev.imajin.contracts.moderator.PolicyRule;
import dev.imajin.contracts.moderator.PolicyTextRule;
import dev.imajin.contracts.moderator.Reason;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Applies a {@link ModerationPolicy} to the outcomes of the layers. A pure function of its inputs:
 * the same outcomes under the same policy always give the same decision, reasons in the same order.
 *
 * <ol>
 *   <li>A rule fires when each of its conditions holds: the condition's layer ran, and one of its
 *       signals is the condition's signal ({@code bank:*} and {@code rule:*} stand for any bank or
 *       any text rule) with a score in {@code [min_score, max_score)}.
 *   <li>A rule that fires gives one reason per signal that satisfied its first condition (so a
 *       {@code bank:*} rule gives one per bank matched), in the order the layer reported them. The
 *       reason's category is the rule's, else the signal's own (a bank's, a text rule's, a
 *       concept's).
 *   <li>Each layer the policy requires that could not run gives a {@code layer_unavailable} reason
 *       with action {@code block}: a missing safety check never lets an image through.
 *   <li>The verdict is {@code block} when any reason blocks, else {@code review} when any reason
 *       asks for it, else {@code allow}. The categories are those of the reasons, without repeats,
 *       in the order of the taxonomy.
 *   <li>A layer is {@code flagged} when a fired rule has a condition on it, {@code passed} when it
 *       ran and nothing fired on it.
 * </ol>
 */
public final class Decider {
  /** What the policy decided, with the layer results as the answer shows them. */
  public record Decision(
      Verdict verdict,
      List<ModerationCategory> categories,
      List<Reason> reasons,
      List<LayerResult> layers) {}

  private final ModerationPolicy policy;

  public Decider(ModerationPolicy policy) {
    this.policy = policy;
  }

  /**
   * Decides on the outcomes of the layers that ran, in any order; the answer lists them in the
   * order of {@link Layer}.
   */
  public Decision decide(List<LayerOutcome> outcomes) {
    Map<Layer, LayerOutcome> byLayer =
        outcomes.stream().collect(Collectors.toMap(LayerOutcome::layer, Function.identity()));
    Map<String, ModerationCategory> ownCategories = ownCategories();
    List<Reason> reasons = new ArrayList<>();
    Set<Layer> flagged = EnumSet.noneOf(Layer.class);
    for (PolicyRule rule : policy.rules()) {
      List<List<Signal>> satisfied = new ArrayList<>();
      for (PolicyCondition c : rule.when()) {
        LayerOutcome o = byLayer.get(c.layer());
        List<Signal> found = o == null ? List.of() : satisfying(o, c);
        if (found.isEmpty()) {
          satisfied = null;
          break;
        }
        satisfied.add(found);
      }
      if (satisfied == null) {
        continue;
      }
      for (PolicyCondition c : rule.when()) {
        flagged.add(c.layer());
      }
      PolicyCondition first = rule.when().get(0);
      for (Signal s : satisfied.get(0)) {
        ModerationCategory category = rule.category();
        if (category == null) {
          category = s.category() != null ? s.category() : ownCategories.get(s.name());
        }
        reasons.add(
            new Reason(
                first.layer(),
                s.code(),
                rule.id(),
                category,
                rule.action(),
                round(s.score()),
                first.minScore(),
                detail(rule, satisfied)));
      }
    }
    for (Layer layer : Layer.values()) {
      LayerOutcome o = byLayer.get(layer);
      LayerPolicy lp = policy.layer(layer);
      if (o != null && !o.available() && lp != null && lp.required()) {
        reasons.add(
            new Reason(
                layer,
                Reason.LAYER_UNAVAILABLE,
                null,
                null,
                Action.BLOCK,
                null,
                null,
                "required layer "
                    + layer.name().toLowerCase(Locale.ROOT)
                    + " could not run: "
                    + o.result().error()));
      }
    }
    Verdict verdict = Verdict.ALLOW;
    TreeSet<ModerationCategory> categories = new TreeSet<>();
    for (Reason r : reasons) {
      if (r.action() == Action.BLOCK) {
        verdict = Verdict.BLOCK;
      } else if (r.action() == Action.REVIEW && verdict == Verdict.ALLOW) {
        verdict = Verdict.REVIEW;
      }
      if (r.category() != null) {
        categories.add(r.category());
      }
    }
    List<LayerResult> layers = new ArrayList<>();
    for (Layer layer : Layer.values()) {
      LayerOutcome o = byLayer.get(layer);
      if (o != null) {
        layers.add(flagged.contains(layer) && o.available() ? flag(o.result()) : o.result());
      }
    }
    return new Decision(verdict, List.copyOf(categories), reasons, layers);
  }

  private static List<Signal> satisfying(LayerOutcome o, PolicyCondition c) {
    if (!o.available()) {
      return List.of();
    }
    String wanted = c.signal();
    boolean any = wanted.endsWith(":*");
    String prefix = any ? wanted.substring(0, wanted.length() - 1) : null;
    List<Signal> found = new ArrayList<>();
    for (Signal s : o.signals()) {
      boolean named = any ? s.name().startsWith(prefix) : s.name().equals(wanted);
      if (named
          && (c.minScore() == null || s.score() >= c.minScore())
          && (c.maxScore() == null || s.score() < c.maxScore())) {
        found.add(s);
      }
    }
    return found;
  }

  private Map<String, ModerationCategory> ownCategories() {
    Map<String, ModerationCategory> own = new java.util.HashMap<>();
    for (PolicyTextRule r : policy.policy().textRules()) {
      own.put("rule:" + r.id(), r.category());
    }
    for (PolicyConcept c : policy.concepts()) {
      own.put("concept:" + c.id(), c.category());
    }
    return own;
  }

  private static String detail(PolicyRule rule, List<List<Signal>> satisfied) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < satisfied.size(); i++) {
      PolicyCondition c = rule.when().get(i);
      Signal s = satisfied.get(i).get(0);
      if (i > 0) {
        b.append(" and ");
      }
      b.append(s.detail());
      if (c.minScore() != null || c.maxScore() != null) {
        b.append(" (").append(String.format(Locale.ROOT, "%.3f", s.score()));
        if (c.minScore() != null) {
          b.append(", at or above ").append(c.minScore());
        }
        if (c.maxScore() != null) {
          b.append(c.minScore() != null ? " and" : ",").append(" below ").append(c.maxScore());
        }
        b.append(')');
      }
    }
    return b.append(": rule ").append(rule.id()).toString();
  }

  private static LayerResult flag(LayerResult r) {
    return new LayerResult(
        r.layer(),
        LayerResult.Status.FLAGGED,
        r.required(),
        r.modelId(),
        r.error(),
        r.hashMatches(),
        r.labels(),
        r.ruleHits(),
        r.concepts(),
        r.faces());
  }

  /** Scores are reported to four decimals, so answers do not carry float noise. */
  static double round(double score) {
    return Math.round(score * 10_000) / 10_000.0;
  }
}
