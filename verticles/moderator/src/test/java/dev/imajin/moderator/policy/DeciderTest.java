package dev.imajin.moderator.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imajin.contracts.common.Verdict;
import dev.imajin.contracts.moderator.Action;
import dev.imajin.contracts.moderator.Layer;
import dev.imajin.contracts.moderator.LayerResult;
import dev.imajin.contracts.moderator.ModerationCategory;
import dev.imajin.contracts.moderator.Reason;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The decision is a pure function of the layer outcomes under the policy. */
class DeciderTest {
  private final ModerationPolicy starter = ModerationPolicy.starter();
  private final Decider decider = new Decider(starter);

  private static LayerOutcome ran(Layer layer, Signal... signals) {
    return new LayerOutcome(
        new LayerResult(
            layer, LayerResult.Status.PASSED, true, null, null, null, null, null, null, null),
        List.of(signals));
  }

  private static List<LayerOutcome> quiet() {
    List<LayerOutcome> all = new ArrayList<>();
    for (Layer layer : Layer.values()) {
      all.add(ran(layer));
    }
    return all;
  }

  private static List<LayerOutcome> with(LayerOutcome replaced) {
    List<LayerOutcome> all = quiet();
    all.replaceAll(o -> o.layer() == replaced.layer() ? replaced : o);
    return all;
  }

  @Test
  void nothingFiredAllows() {
    Decider.Decision d = decider.decide(quiet());
    assertThat(d.verdict()).isEqualTo(Verdict.ALLOW);
    assertThat(d.reasons()).isEmpty();
    assertThat(d.categories()).isEmpty();
    assertThat(d.layers()).extracting(LayerResult::layer).containsExactly(Layer.values());
    assertThat(d.layers()).allMatch(l -> l.status() == LayerResult.Status.PASSED);
  }

  @Test
  void aSureClassifierBlocksAndABorderlineOneAsksForReview() {
    Decider.Decision sure =
        decider.decide(
            with(
                ran(
                    Layer.IMAGE_CLASSIFIER,
                    new Signal("label:prohibited_symbol", 0.97, null, "x"))));
    assertThat(sure.verdict()).isEqualTo(Verdict.BLOCK);
    assertThat(sure.categories()).containsExactly(ModerationCategory.HATE);
    Reason r = sure.reasons().get(0);
    assertThat(r.code()).isEqualTo("label.prohibited_symbol");
    assertThat(r.ruleId()).isEqualTo("prohibited-symbol");
    assertThat(r.threshold()).isEqualTo(0.8);
    assertThat(sure.layers().get(1).status()).isEqualTo(LayerResult.Status.FLAGGED);

    Decider.Decision borderline =
        decider.decide(
            with(
                ran(
                    Layer.IMAGE_CLASSIFIER,
                    new Signal("label:prohibited_symbol", 0.6, null, "x"))));
    assertThat(borderline.verdict()).isEqualTo(Verdict.REVIEW);
    assertThat(borderline.reasons()).extracting(Reason::action).containsExactly(Action.REVIEW);

    Decider.Decision low =
        decider.decide(
            with(
                ran(
                    Layer.IMAGE_CLASSIFIER,
                    new Signal("label:prohibited_symbol", 0.2, null, "x"))));
    assertThat(low.verdict()).isEqualTo(Verdict.ALLOW);
  }

  @Test
  void everyMatchedBankGivesAReasonInItsOwnCategory() {
    Decider.Decision d =
        decider.decide(
            with(
                ran(
                    Layer.HASH_MATCH,
                    new Signal("bank:hate-a", 0.99, ModerationCategory.HATE, "a"),
                    new Signal("bank:gore", 0.9, ModerationCategory.VIOLENCE_GRAPHIC, "b"))));
    assertThat(d.verdict()).isEqualTo(Verdict.BLOCK);
    assertThat(d.reasons()).extracting(Reason::code).containsExactly("bank.hate-a", "bank.gore");
    assertThat(d.categories())
        .containsExactly(ModerationCategory.HATE, ModerationCategory.VIOLENCE_GRAPHIC);
  }

  @Test
  void aRequiredLayerThatCouldNotRunBlocks() {
    Decider.Decision d =
        decider.decide(
            with(
                LayerOutcome.unavailable(
                    Layer.AGE_ESTIMATION, true, "starter/age", "model file is missing")));
    assertThat(d.verdict()).isEqualTo(Verdict.BLOCK);
    Reason r = d.reasons().get(0);
    assertThat(r.code()).isEqualTo(Reason.LAYER_UNAVAILABLE);
    assertThat(r.layer()).isEqualTo(Layer.AGE_ESTIMATION);
    assertThat(r.detail()).contains("age_estimation", "model file is missing");
    assertThat(d.layers().get(2).status()).isEqualTo(LayerResult.Status.UNAVAILABLE);
  }

  @Test
  void anOptionalLayerThatCouldNotRunDoesNotBlock() {
    ModerationPolicy optional = ModerationPolicyTest.parse(ModerationPolicyTest.MINIMAL);
    Decider.Decision d =
        new Decider(optional)
            .decide(
                with(
                    LayerOutcome.unavailable(
                        Layer.IDENTITY_VERIFICATION, false, null, "identity did not answer")));
    assertThat(d.verdict()).isEqualTo(Verdict.ALLOW);
    assertThat(d.layers().get(4).status()).isEqualTo(LayerResult.Status.UNAVAILABLE);
  }

  @Test
  void blockOutranksReviewAndTheSameInputsGiveTheSameDecision() {
    List<LayerOutcome> outcomes = quiet();
    outcomes.replaceAll(
        o ->
            switch (o.layer()) {
              case IMAGE_CLASSIFIER ->
                  ran(o.layer(), new Signal("label:prohibited_symbol", 0.7, null, "x"));
              case PROHIBITED_CONTENT ->
                  ran(
                      o.layer(),
                      new Signal("rule:sexual.minors", 1, ModerationCategory.SEXUAL_MINORS, "y"));
              default -> o;
            });
    Decider.Decision d = decider.decide(outcomes);
    assertThat(d.verdict()).isEqualTo(Verdict.BLOCK);
    assertThat(d.categories())
        .containsExactly(ModerationCategory.HATE, ModerationCategory.SEXUAL_MINORS);
    List<LayerOutcome> reversed = new ArrayList<>(outcomes);
    java.util.Collections.reverse(reversed);
    assertThat(decider.decide(reversed)).isEqualTo(d);
  }
}
