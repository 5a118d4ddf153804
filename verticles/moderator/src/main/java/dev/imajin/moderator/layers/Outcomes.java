package dev.imajin.moderator.layers;

import dev.imajin.contracts.moderator.FaceBox;
import dev.imajin.contracts.moderator.FaceFinding;
import dev.imajin.contracts.moderator.HashMatch;
import dev.imajin.contracts.moderator.LabelScore;
import dev.imajin.contracts.moderator.LayerPolicy;
import dev.imajin.contracts.moderator.LayerResult;
import dev.imajin.contracts.moderator.RuleHit;
import dev.imajin.moderator.policy.ModerationPolicy;
import java.util.List;

/** Builders of layer results, each with only its layer's fields. */
final class Outcomes {
  private Outcomes() {}

  static LayerResult passed(
      LayerPolicy settings,
      String modelId,
      List<HashMatch> matches,
      List<LabelScore> labels,
      List<RuleHit> hits,
      List<LabelScore> concepts,
      List<FaceFinding> faces) {
    return new LayerResult(
        settings.layer(),
        LayerResult.Status.PASSED,
        settings.required(),
        modelId,
        null,
        matches,
        labels,
        hits,
        concepts,
        faces);
  }

  /** A score shown against the lowest threshold a rule tests it at, with that rule's category. */
  static LabelScore score(ModerationPolicy policy, String label, String signal, double score) {
    Double threshold = policy.threshold(signal);
    double rounded = Math.round(score * 10_000) / 10_000.0;
    return new LabelScore(
        label,
        rounded,
        threshold,
        policy.category(signal),
        threshold != null && score >= threshold);
  }

  static FaceBox box(float x1, float y1, float x2, float y2, int width, int height) {
    int x = Math.max(0, Math.min(width - 1, Math.round(x1)));
    int y = Math.max(0, Math.min(height - 1, Math.round(y1)));
    int w = Math.max(1, Math.min(width - x, Math.round(x2 - x1)));
    int h = Math.max(1, Math.min(height - y, Math.round(y2 - y1)));
    return new FaceBox(x, y, w, h);
  }
}
