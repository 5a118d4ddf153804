package dev.imajin.moderator.layers;

import dev.imajin.contracts.moderator.LabelScore;
import dev.imajin.contracts.moderator.Layer;
import dev.imajin.contracts.moderator.LayerPolicy;
import dev.imajin.inference.classify.ImageClassifier;
import dev.imajin.inference.model.ModelTask;
import dev.imajin.moderator.policy.LayerOutcome;
import dev.imajin.moderator.policy.ModerationPolicy;
import dev.imajin.moderator.policy.Signal;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Layer 2, {@code image_classifier}: the image-classification model of the slot (a ViT-style {@code
 * pixel_values -> logits} export whose labels are in its manifest: an NSFW classifier in
 * production, the starter pack's prohibited-symbol classifier here). Every label gives the signal
 * {@code label:<label>} with its softmax probability.
 */
public final class ImageClassifierLayer implements ModerationLayer {
  private final ModelSlots slots;

  ImageClassifierLayer(ModelSlots slots) {
    this.slots = slots;
  }

  @Override
  public Layer layer() {
    return Layer.IMAGE_CLASSIFIER;
  }

  @Override
  public Future<Void> warm(LayerPolicy settings) {
    return slots
        .load(settings.models().get(0), ModelTask.IMAGE_CLASSIFICATION, ImageClassifier::of)
        .mapEmpty();
  }

  @Override
  public Future<LayerOutcome> run(
      ModerationInput in, LayerPolicy settings, ModerationPolicy policy) {
    String id = settings.models().get(0);
    if (!in.hasImage()) {
      return Future.succeededFuture(
          new LayerOutcome(
              Outcomes.passed(settings, id, null, List.of(), null, null, null), List.of()));
    }
    return slots
        .infer(
            id,
            ModelTask.IMAGE_CLASSIFICATION,
            ImageClassifier::of,
            c -> new Classified(c.labels(), c.classify(List.of(in.decoded())).get(0)))
        .map(
            classified -> {
              List<LabelScore> labels = new ArrayList<>();
              List<Signal> signals = new ArrayList<>();
              for (int i = 0; i < classified.labels().size(); i++) {
                String label = classified.labels().get(i);
                double p = classified.probabilities()[i];
                String signal = "label:" + label;
                labels.add(Outcomes.score(policy, label, signal, p));
                signals.add(
                    new Signal(
                        signal,
                        p,
                        null,
                        String.format(Locale.ROOT, "the classifier scored %s", label)));
              }
              return new LayerOutcome(
                  Outcomes.passed(settings, id, null, labels, null, null, null), signals);
            });
  }

  private record Classified(List<String> labels, float[] probabilities) {}
}
