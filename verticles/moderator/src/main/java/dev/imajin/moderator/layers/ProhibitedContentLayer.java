package dev.imajin.moderator.layers;

import dev.imajin.contracts.moderator.LabelScore;
import dev.imajin.contracts.moderator.Layer;
import dev.imajin.contracts.moderator.LayerPolicy;
import dev.imajin.contracts.moderator.PolicyConcept;
import dev.imajin.contracts.moderator.RuleHit;
import dev.imajin.contracts.semantic.ScoreRequest;
import dev.imajin.contracts.semantic.ScoreResult;
import dev.imajin.moderator.policy.LayerOutcome;
import dev.imajin.moderator.policy.ModerationPolicy;
import dev.imajin.moderator.policy.Signal;
import dev.imajin.runtime.ServiceClient;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * Layer 4, {@code prohibited_content}: the prompt against the policy's text rules, after
 * normalisation against spacing, leetspeak and confusable Unicode (see {@link
 * dev.imajin.moderator.text.TextRules}), and the image against the policy's concepts, each scored
 * zero-shot by the dual encoder of the slot through the semantic service ({@code scoreImage}, one
 * independent sigmoid score per concept). A rule hit gives {@code rule:<id>} (score 1), a concept
 * {@code concept:<id>} with its score. The layer is unavailable when the concepts cannot be scored.
 */
public final class ProhibitedContentLayer implements ModerationLayer {
  private final ServiceClient semantic;

  ProhibitedContentLayer(ServiceClient semantic) {
    this.semantic = semantic;
  }

  @Override
  public Layer layer() {
    return Layer.PROHIBITED_CONTENT;
  }

  /** Has the semantic service load the dual encoder, by scoring a blank image once. */
  @Override
  public Future<Void> warm(LayerPolicy settings) {
    String model = settings.models() == null ? null : settings.models().get(0);
    return semantic
        .call(
            "scoreImage",
            new ScoreRequest(Blank.IMAGE, List.of("a picture"), null, model),
            ScoreResult.class,
            null)
        .mapEmpty();
  }

  @Override
  public Future<LayerOutcome> run(
      ModerationInput in, LayerPolicy settings, ModerationPolicy policy) {
    String model = settings.models() == null ? null : settings.models().get(0);
    List<RuleHit> hits =
        in.prompt() == null || in.prompt().isEmpty()
            ? List.of()
            : policy.textRules().match(in.prompt());
    List<Signal> signals = new ArrayList<>();
    for (RuleHit hit : hits) {
      signals.add(
          new Signal(
              "rule:" + hit.ruleId(),
              1,
              hit.category(),
              "the prompt contains '"
                  + hit.matched()
                  + "'"
                  + (hit.obfuscated() ? " (after normalisation)" : "")));
    }
    List<PolicyConcept> concepts = policy.concepts();
    if (!in.hasImage() || concepts.isEmpty()) {
      return Future.succeededFuture(
          new LayerOutcome(
              Outcomes.passed(
                  settings,
                  in.hasImage() ? model : null,
                  null,
                  null,
                  hits,
                  in.hasImage() ? List.of() : null,
                  null),
              signals));
    }
    List<String> texts = concepts.stream().map(PolicyConcept::text).toList();
    return semantic
        .call(
            "scoreImage",
            new ScoreRequest(in.image(), texts, null, model),
            ScoreResult.class,
            in.requestId())
        .map(
            scored -> {
              List<LabelScore> shown = new ArrayList<>();
              for (int i = 0; i < concepts.size(); i++) {
                PolicyConcept c = concepts.get(i);
                double score = scored.scores().get(i).score();
                String signal = "concept:" + c.id();
                LabelScore s = Outcomes.score(policy, c.id(), signal, score);
                shown.add(
                    new LabelScore(
                        s.label(),
                        s.score(),
                        s.threshold(),
                        s.category() != null ? s.category() : c.category(),
                        s.flagged()));
                signals.add(
                    new Signal(
                        signal, score, c.category(), "the image looks like '" + c.text() + "'"));
              }
              return new LayerOutcome(
                  Outcomes.passed(settings, scored.model(), null, null, hits, shown, null),
                  signals);
            });
  }
}
