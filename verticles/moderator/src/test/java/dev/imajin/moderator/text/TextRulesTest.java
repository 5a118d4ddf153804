package dev.imajin.moderator.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imajin.contracts.moderator.ModerationCategory;
import dev.imajin.contracts.moderator.RuleHit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Text rules matched through the skeleton: obfuscations hit, neighbouring words do not. */
class TextRulesTest {
  static final TextRule BLACK_STAR =
      new TextRule(
          "hate.black_star", ModerationCategory.HATE, List.of("black star", "black stars"));
  static final TextRule SALTIRE =
      new TextRule("hate.saltire", ModerationCategory.HATE, List.of("saltire", "x cross"));
  static final TextRule BOLT =
      new TextRule("violence.bolt", ModerationCategory.VIOLENCE, List.of("lightning bolt"));
  static final TextRules RULES = TextRules.of(List.of(BLACK_STAR, SALTIRE, BOLT));

  static RuleHit blackStar(boolean obfuscated) {
    return new RuleHit("hate.black_star", ModerationCategory.HATE, "black star", obfuscated);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a b1ack  s t a r",
        "a BLACK ＳＴＡＲ",
        "а blаck stаr",
        "bl\u200Back st\u200Bar",
        "b.l.a.c.k star",
        "blaaack starrr",
        "blackstar",
        "bl ack st ar",
        "a bIack $t@r on a flag",
        "s-t-a-r b_l_a_c_k s*t*a*r",
        "a b l a c k s t a r",
        "a black-star banner",
        "BLACKSTARS everywhere",
        "a ｂｌａｃｋ 𝐬𝐭𝐚𝐫",
        "bláck stár"
      })
  @DisplayName("obfuscated spellings hit and are reported as obfuscated")
  void obfuscatedHits(String prompt) {
    assertThat(RULES.match(prompt)).as(prompt).containsExactly(blackStar(true));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a black star",
        "black stars",
        "A Black   Star on a field",
        "two BLACK STARS",
        "the black star's points",
        "black\tstar"
      })
  @DisplayName("plain spellings hit and are not reported as obfuscated")
  void plainHits(String prompt) {
    assertThat(RULES.match(prompt)).as(prompt).containsExactly(blackStar(false));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a black starfish",
        "blackboard star",
        "a black square and a star",
        "a star, black background",
        "black and white stars",
        "a blackstarfish",
        "blacks tarmac",
        "a black start",
        "the black's tar pit",
        "the black’s tar pit"
      })
  @DisplayName("no hit across word boundaries")
  void noHitAcrossWords(String prompt) {
    assertThat(RULES.match(prompt)).as(prompt).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a small red star in the top left on a blue background",
        "a black circle and a yellow ring",
        "3 red stars on a white field",
        "a green triangle with a black outline and a star above it",
        "lightning over the sea, a bolt of blue cloth",
        "a cross made of two white bars, x marks the spot",
        "salt and pepper on a white table",
        "a starry night over a black lake",
        "a 3 d render of a black cube",
        "!!! a bright yellow sun !!!"
      })
  @DisplayName("benign prompts from the synthetic world hit nothing")
  void benign(String prompt) {
    assertThat(RULES.match(prompt)).as(prompt).isEmpty();
  }

  @Test
  @DisplayName("other rules' terms, obfuscated or not")
  void otherRules() {
    assertThat(RULES.match("a white saltire on blue"))
        .containsExactly(new RuleHit("hate.saltire", ModerationCategory.HATE, "saltire", false));
    assertThat(RULES.match("a big X-cross"))
        .containsExactly(new RuleHit("hate.saltire", ModerationCategory.HATE, "x cross", true));
    assertThat(RULES.match("a l1ghtn1ng b0lt"))
        .containsExactly(
            new RuleHit("violence.bolt", ModerationCategory.VIOLENCE, "lightning bolt", true));
    assertThat(RULES.match("Lightning Bolts"))
        .containsExactly(
            new RuleHit("violence.bolt", ModerationCategory.VIOLENCE, "lightning bolt", false));
  }

  @Test
  @DisplayName("at most one hit per rule, naming the first term that matched")
  void oneHitPerRule() {
    assertThat(RULES.match("black stars and a black star and b1ack st4rs"))
        .containsExactly(blackStar(false));
    TextRules rules =
        TextRules.of(
            List.of(
                new TextRule(
                    "hate.black_star",
                    ModerationCategory.HATE,
                    List.of("black stars", "black star"))));
    assertThat(rules.match("two black stars"))
        .containsExactly(
            new RuleHit("hate.black_star", ModerationCategory.HATE, "black stars", false));
  }

  @Test
  @DisplayName("hits come in rule order, not prompt order")
  void ruleOrder() {
    String prompt = "a lightning bolt over a saltire and a black star";
    assertThat(RULES.match(prompt))
        .extracting(RuleHit::ruleId)
        .containsExactly("hate.black_star", "hate.saltire", "violence.bolt");
    assertThat(TextRules.of(List.of(BOLT, SALTIRE, BLACK_STAR)).match(prompt))
        .extracting(RuleHit::ruleId)
        .containsExactly("violence.bolt", "hate.saltire", "hate.black_star");
  }

  @Test
  @DisplayName("a term is normalised like a prompt, so an obfuscated term matches plain text")
  void termsNormalisedToo() {
    TextRules rules =
        TextRules.of(List.of(new TextRule("t.star", ModerationCategory.HATE, List.of("ST4RR"))));
    assertThat(rules.match("a star")).hasSize(1);
    assertThat(rules.match("a stare")).isEmpty();
  }

  @Test
  @DisplayName("invalid rules are refused with a message naming the rule")
  void invalidRules() {
    assertThatThrownBy(() -> new TextRule(" ", ModerationCategory.HATE, List.of("x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("id must not be blank");
    assertThatThrownBy(() -> new TextRule(null, ModerationCategory.HATE, List.of("x")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TextRule("r.none", ModerationCategory.HATE, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'r.none'")
        .hasMessageContaining("no terms");
    assertThatThrownBy(() -> new TextRule("r.cat", null, List.of("x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'r.cat'");
    assertThatThrownBy(
            () -> new TextRule("r.blank", ModerationCategory.HATE, List.of("ok", "-- !")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'r.blank'")
        .hasMessageContaining("'-- !'")
        .hasMessageContaining("no letters or digits");
    List<String> withNull = new ArrayList<>();
    withNull.add(null);
    assertThatThrownBy(() -> new TextRule("r.null", ModerationCategory.HATE, withNull))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'r.null'");
    assertThatThrownBy(() -> TextRules.of(List.of(BOLT, BOLT)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'violence.bolt'")
        .hasMessageContaining("twice");
  }

  @Test
  @DisplayName("a rule's terms cannot change after it is built")
  void immutable() {
    List<String> terms = new ArrayList<>(List.of("black star"));
    TextRule rule = new TextRule("r", ModerationCategory.HATE, terms);
    terms.add("saltire");
    assertThat(rule.terms()).containsExactly("black star");
  }

  @Test
  @DisplayName("a 4000-character prompt, benign or hostile, is matched (no timing asserted)")
  void longPrompts() {
    Random rnd = new Random(11);
    String[] words = {"a", "b", "black", "star", "s", "t", "bl", "ack", "blackstar", "x", "1", "!"};
    StringBuilder noisy = new StringBuilder();
    while (noisy.length() < 4000) {
      noisy.append(words[rnd.nextInt(words.length)]).append(rnd.nextBoolean() ? " " : ".");
    }
    RULES.match(noisy.substring(0, 4000));
    String spaced = "b l a c k s t a ".repeat(300).substring(0, 3990) + " s t a r";
    assertThat(spaced).hasSizeLessThanOrEqualTo(4000);
    RULES.match(spaced);
    String benign = "a small red star in the top left on a blue background, ".repeat(80);
    assertThat(RULES.match(benign.substring(0, 4000))).isEmpty();
  }

  @Test
  @DisplayName("the same prompt always gives the same hits")
  void deterministic() {
    String prompt = "a b1ack  s t a r and a saltire";
    assertThat(RULES.match(prompt)).isEqualTo(RULES.match(prompt)).hasSize(2);
  }
}
