package dev.imajin.moderator.policy;

import dev.imajin.contracts.moderator.Layer;
import dev.imajin.contracts.moderator.LayerPolicy;
import dev.imajin.contracts.moderator.Policy;
import dev.imajin.contracts.moderator.PolicyConcept;
import dev.imajin.contracts.moderator.PolicyCondition;
import dev.imajin.contracts.moderator.PolicyRule;
import dev.imajin.contracts.moderator.PolicyTextRule;
import dev.imajin.moderator.text.TextRule;
import dev.imajin.moderator.text.TextRules;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks a policy file must pass before it is used; every problem is collected, so one message
 * names them all.
 */
final class PolicyCheck {
  private static final Pattern ID = Pattern.compile("^[a-z0-9][a-z0-9._/-]{0,63}$");
  private static final Pattern BANK = Pattern.compile("^[a-z0-9][a-z0-9_-]{0,63}$");

  private PolicyCheck() {}

  /**
   * Checks the policy and compiles its text rules.
   *
   * @throws PolicyException naming the source and every problem
   */
  static TextRules check(Policy p, String source) {
    List<String> problems = new ArrayList<>();
    if (p.version() == null || p.version().isBlank()) {
      problems.add("'version' is required");
    }
    if (p.responseFloorMs() < 0 || p.responseQuantumMs() < 1) {
      problems.add("'response_floor_ms' must be 0 or more and 'response_quantum_ms' 1 or more");
    }
    Map<Layer, LayerPolicy> layers = new EnumMap<>(Layer.class);
    for (int i = 0; i < p.layers().size(); i++) {
      LayerPolicy l = p.layers().get(i);
      String at = "layers[" + i + "]";
      if (l.layer() == null) {
        problems.add(at + ": 'layer' is required");
        continue;
      }
      if (layers.put(l.layer(), l) != null) {
        problems.add(at + ": layer " + ModerationPolicy.wire(l.layer()) + " is listed twice");
      }
      if (l.timeoutMs() < 1) {
        problems.add(at + ": 'timeout_ms' must be 1 or more");
      } else if (p.responseFloorMs() > 0 && l.timeoutMs() > p.responseFloorMs()) {
        problems.add(
            at
                + ": 'timeout_ms' "
                + l.timeoutMs()
                + " is over 'response_floor_ms' "
                + p.responseFloorMs()
                + "; the floor must cover the slowest layer, or answer times would show which"
                + " layer was slow");
      }
      checkSettings(l, at, problems);
    }
    for (Layer layer : Layer.values()) {
      if (!layers.containsKey(layer)) {
        problems.add(
            "layer "
                + ModerationPolicy.wire(layer)
                + " is missing: every layer runs on every request");
      }
    }
    Set<String> textRuleIds = new HashSet<>();
    List<TextRule> compiled = new ArrayList<>();
    for (int i = 0; i < p.textRules().size(); i++) {
      PolicyTextRule r = p.textRules().get(i);
      String at = "text_rules[" + i + "]";
      if (r.id() == null || !ID.matcher(r.id()).matches()) {
        problems.add(at + ": 'id' must match " + ID.pattern());
      } else if (!textRuleIds.add(r.id())) {
        problems.add(at + ": text rule '" + r.id() + "' is defined twice");
      }
      if (r.category() == null) {
        problems.add(at + ": 'category' is required");
      }
      try {
        compiled.add(new TextRule(r.id(), r.category(), r.terms() == null ? List.of() : r.terms()));
      } catch (IllegalArgumentException e) {
        problems.add(at + ": " + e.getMessage());
      }
    }
    Set<String> conceptIds = new HashSet<>();
    for (int i = 0; i < p.concepts().size(); i++) {
      PolicyConcept c = p.concepts().get(i);
      String at = "concepts[" + i + "]";
      if (c.id() == null || !ID.matcher(c.id()).matches()) {
        problems.add(at + ": 'id' must match " + ID.pattern());
      } else if (!conceptIds.add(c.id())) {
        problems.add(at + ": concept '" + c.id() + "' is defined twice");
      }
      if (c.text() == null || c.text().isBlank() || c.category() == null) {
        problems.add(at + ": 'text' and 'category' are required");
      }
    }
    Set<String> ruleIds = new HashSet<>();
    for (int i = 0; i < p.rules().size(); i++) {
      PolicyRule r = p.rules().get(i);
      String at = "rules[" + i + "]";
      if (r.id() == null || r.id().isBlank()) {
        problems.add(at + ": 'id' is required");
      } else if (!ruleIds.add(r.id())) {
        problems.add(at + ": rule '" + r.id() + "' is defined twice");
      }
      if (r.action() == null) {
        problems.add(at + ": 'action' is required (block or review)");
      }
      if (r.when().isEmpty()) {
        problems.add(at + ": 'when' needs at least one condition");
      }
      for (int j = 0; j < r.when().size(); j++) {
        checkCondition(
            r, r.when().get(j), at + ".when[" + j + "]", textRuleIds, conceptIds, problems);
      }
    }
    if (!problems.isEmpty()) {
      throw new PolicyException(source + ": " + String.join("; ", problems));
    }
    return TextRules.of(compiled);
  }

  private static void checkSettings(LayerPolicy l, String at, List<String> problems) {
    boolean hash = l.layer() == Layer.HASH_MATCH;
    boolean identity = l.layer() == Layer.IDENTITY_VERIFICATION;
    if (l.threshold() != null) {
      if (hash && (l.threshold() < 0 || l.threshold() > 64 || l.threshold() % 1 != 0)) {
        problems.add(at + ": a hash_match 'threshold' is a whole number of bits from 0 to 64");
      } else if (identity && (l.threshold() <= 0 || l.threshold() > 1)) {
        problems.add(at + ": an identity_verification 'threshold' is a similarity in (0, 1]");
      } else if (!hash && !identity) {
        problems.add(at + ": 'threshold' belongs to hash_match or identity_verification");
      }
    }
    if (!hash && (l.qualityFloor() != null || l.dihedral() != null || l.banks() != null)) {
      problems.add(at + ": 'quality_floor', 'dihedral' and 'banks' belong to hash_match");
    }
    if (l.qualityFloor() != null && (l.qualityFloor() < 0 || l.qualityFloor() > 100)) {
      problems.add(at + ": 'quality_floor' is from 0 to 100");
    }
    if (l.banks() != null) {
      for (String b : l.banks()) {
        if (b == null || !BANK.matcher(b).matches()) {
          problems.add(at + ": bank id '" + b + "' must match " + BANK.pattern());
        }
      }
    }
    if (l.minorLabels() != null && l.layer() != Layer.AGE_ESTIMATION) {
      problems.add(at + ": 'minor_labels' belongs to age_estimation");
    }
    int models = l.models() == null ? 0 : l.models().size();
    int expected =
        switch (l.layer()) {
          case IMAGE_CLASSIFIER, PROHIBITED_CONTENT -> 1;
          case AGE_ESTIMATION -> 2;
          case HASH_MATCH, IDENTITY_VERIFICATION -> 0;
        };
    if (models != expected) {
      problems.add(
          at
              + ": "
              + ModerationPolicy.wire(l.layer())
              + " takes "
              + expected
              + (expected == 2 ? " models (the face detector, then the age classifier)" : " model")
              + (expected == 0 ? "s (it uses another service)" : "")
              + " in 'models', has "
              + models);
    }
    if (l.layer() == Layer.AGE_ESTIMATION
        && (l.minorLabels() == null || l.minorLabels().isEmpty())) {
      problems.add(at + ": age_estimation needs 'minor_labels', the age labels under 18");
    }
  }

  private static void checkCondition(
      PolicyRule rule,
      PolicyCondition c,
      String at,
      Set<String> textRules,
      Set<String> concepts,
      List<String> problems) {
    if (c.layer() == null || c.signal() == null) {
      problems.add(at + ": 'layer' and 'signal' are required");
      return;
    }
    if (c.minScore() != null && c.maxScore() != null && c.minScore() >= c.maxScore()) {
      problems.add(at + ": 'min_score' must be below 'max_score'");
    }
    String s = c.signal();
    int colon = s.indexOf(':');
    String kind = colon < 0 ? s : s.substring(0, colon);
    String name = colon < 0 ? "" : s.substring(colon + 1);
    boolean ok =
        switch (c.layer()) {
          case HASH_MATCH ->
              kind.equals("bank") && (name.equals("*") || BANK.matcher(name).matches());
          case IMAGE_CLASSIFIER -> kind.equals("label") && !name.isEmpty();
          case AGE_ESTIMATION -> s.equals("face:minor");
          case PROHIBITED_CONTENT ->
              kind.equals("rule") && (name.equals("*") || textRules.contains(name))
                  || kind.equals("concept") && concepts.contains(name);
          case IDENTITY_VERIFICATION ->
              s.equals("identity:protected") || s.equals("identity:consented_other_owner");
        };
    if (!ok) {
      problems.add(
          at
              + ": signal '"
              + s
              + "' is not one of layer "
              + ModerationPolicy.wire(c.layer())
              + " ("
              + switch (c.layer()) {
                case HASH_MATCH -> "bank:<bank id> or bank:*";
                case IMAGE_CLASSIFIER -> "label:<label>";
                case AGE_ESTIMATION -> "face:minor";
                case PROHIBITED_CONTENT ->
                    "rule:<a text_rules id>, rule:* or concept:<a concepts id>";
                case IDENTITY_VERIFICATION ->
                    "identity:protected or identity:consented_other_owner";
              }
              + ")");
    }
    if (rule.category() == null
        && !kind.equals("bank")
        && rule.when().indexOf(c) == 0
        && !(kind.equals("rule") || kind.equals("concept"))) {
      problems.add(
          at
              + ": rule '"
              + rule.id()
              + "' needs a 'category' (only bank, text rule and concept signals carry their own)");
    }
  }
}
