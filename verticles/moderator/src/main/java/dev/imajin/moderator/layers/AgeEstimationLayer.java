package dev.imajin.moderator.layers;

import dev.imajin.contracts.moderator.FaceFinding;
import dev.imajin.contracts.moderator.Layer;
import dev.imajin.contracts.moderator.LayerPolicy;
import dev.imajin.inference.classify.ImageClassifier;
import dev.imajin.inference.face.Face;
import dev.imajin.inference.face.FaceDetector;
import dev.imajin.inference.model.ModelTask;
import dev.imajin.moderator.policy.LayerOutcome;
import dev.imajin.moderator.policy.ModerationPolicy;
import dev.imajin.moderator.policy.Signal;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Layer 3, {@code age_estimation}: the face detector of the slot finds the faces (SCRFD layout),
 * and the age classifier reads each one (the face box grown by the age model's {@code box_margin},
 * clipped to the image). A face's minor score is the sum of the probabilities of the policy's
 * {@code minor_labels}; the signal {@code face:minor} takes the highest minor score of the image's
 * faces. At most {@link #MAX_FACES} faces are read, the largest first.
 */
public final class AgeEstimationLayer implements ModerationLayer {
  static final int MAX_FACES = 16;

  private final ModelSlots slots;
  private final WorkerExecutor io;

  AgeEstimationLayer(ModelSlots slots, WorkerExecutor io) {
    this.slots = slots;
    this.io = io;
  }

  @Override
  public Layer layer() {
    return Layer.AGE_ESTIMATION;
  }

  @Override
  public Future<Void> warm(LayerPolicy settings) {
    return Future.all(
            slots.load(settings.models().get(0), ModelTask.FACE_DETECTION, FaceDetector::of),
            slots.load(settings.models().get(1), ModelTask.AGE_ESTIMATION, ImageClassifier::of))
        .mapEmpty();
  }

  @Override
  public Future<LayerOutcome> run(
      ModerationInput in, LayerPolicy settings, ModerationPolicy policy) {
    String detectorId = settings.models().get(0);
    String ageId = settings.models().get(1);
    if (!in.hasImage()) {
      return Future.succeededFuture(
          new LayerOutcome(
              Outcomes.passed(settings, ageId, null, null, null, null, List.of()), List.of()));
    }
    BufferedImage image = in.decoded();
    return slots
        .infer(
            detectorId, ModelTask.FACE_DETECTION, FaceDetector::of, d -> d.detect(d.prepare(image)))
        .compose(
            faces -> {
              List<Face> chosen = Face.largest(faces, MAX_FACES);
              if (chosen.isEmpty()) {
                return Future.succeededFuture(
                    new LayerOutcome(
                        Outcomes.passed(settings, ageId, null, null, null, null, List.of()),
                        List.of()));
              }
              return slots
                  .infer(
                      ageId,
                      ModelTask.AGE_ESTIMATION,
                      ImageClassifier::of,
                      c -> {
                        List<BufferedImage> crops = new ArrayList<>();
                        for (Face f : chosen) {
                          crops.add(ImageClassifier.crop(image, f, c.boxMargin()));
                        }
                        return new Ages(c.labels(), c.classify(crops));
                      })
                  .map(ages -> outcome(settings, ageId, image, chosen, ages));
            });
  }

  private static LayerOutcome outcome(
      LayerPolicy settings, String ageId, BufferedImage image, List<Face> faces, Ages ages) {
    List<String> minor = settings.minorLabels();
    List<FaceFinding> findings = new ArrayList<>();
    double worst = -1;
    FaceFinding worstFace = null;
    for (int i = 0; i < faces.size(); i++) {
      Face f = faces.get(i);
      float[] p = ages.probabilities().get(i);
      int best = 0;
      double minorScore = 0;
      for (int k = 0; k < p.length; k++) {
        if (p[k] > p[best]) {
          best = k;
        }
        if (minor.contains(ages.labels().get(k))) {
          minorScore += p[k];
        }
      }
      minorScore = Math.min(1, Math.round(minorScore * 10_000) / 10_000.0);
      FaceFinding finding =
          new FaceFinding(
              Outcomes.box(f.x1(), f.y1(), f.x2(), f.y2(), image.getWidth(), image.getHeight()),
              Math.round(f.score() * 10_000) / 10_000.0,
              ages.labels().get(best),
              minorScore,
              null,
              null,
              null,
              null);
      findings.add(finding);
      if (minorScore > worst) {
        worst = minorScore;
        worstFace = finding;
      }
    }
    Signal minorSignal =
        new Signal(
            "face:minor",
            worst,
            null,
            String.format(
                Locale.ROOT,
                "a face at (%d, %d) looks %s",
                worstFace.box().x(),
                worstFace.box().y(),
                worstFace.ageRange()));
    return new LayerOutcome(
        Outcomes.passed(settings, ageId, null, null, null, null, findings), List.of(minorSignal));
  }

  private record Ages(List<String> labels, List<float[]> probabilities) {}
}
