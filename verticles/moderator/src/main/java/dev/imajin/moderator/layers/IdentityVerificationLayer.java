package dev.imajin.moderator.layers;

import dev.imajin.contracts.identity.ConsentKind;
import dev.imajin.contracts.identity.FaceCandidates;
import dev.imajin.contracts.identity.SearchCandidate;
import dev.imajin.contracts.identity.SearchIdentitiesRequest;
import dev.imajin.contracts.identity.SearchResult;
import dev.imajin.contracts.moderator.FaceBox;
import dev.imajin.contracts.moderator.FaceFinding;
import dev.imajin.contracts.moderator.Layer;
import dev.imajin.contracts.moderator.LayerPolicy;
import dev.imajin.moderator.policy.LayerOutcome;
import dev.imajin.moderator.policy.ModerationPolicy;
import dev.imajin.moderator.policy.Signal;
import dev.imajin.runtime.ServiceClient;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Layer 5, {@code identity_verification}: every face of the image against the identity service's
 * enrolled identities ({@code searchIdentities}, at the policy's threshold or the service's). The
 * closest identity of each face decides: a protected identity gives {@code identity:protected}; a
 * consented one gives {@code identity:consented_other_owner} unless the request's {@code user} is
 * its owner. Each signal is scored with the similarity of the closest such face.
 */
public final class IdentityVerificationLayer implements ModerationLayer {
  private final ServiceClient identity;

  IdentityVerificationLayer(ServiceClient identity) {
    this.identity = identity;
  }

  @Override
  public Layer layer() {
    return Layer.IDENTITY_VERIFICATION;
  }

  /** Has the identity service load its face models, by searching a blank image once. */
  @Override
  public Future<Void> warm(LayerPolicy settings) {
    return identity
        .call(
            "searchIdentities",
            new SearchIdentitiesRequest(Blank.IMAGE, settings.threshold(), 1, null),
            SearchResult.class,
            null)
        .mapEmpty();
  }

  @Override
  public Future<LayerOutcome> run(
      ModerationInput in, LayerPolicy settings, ModerationPolicy policy) {
    if (!in.hasImage()) {
      return Future.succeededFuture(
          new LayerOutcome(
              Outcomes.passed(settings, null, null, null, null, null, List.of()), List.of()));
    }
    return identity
        .call(
            "searchIdentities",
            new SearchIdentitiesRequest(in.image(), settings.threshold(), 1, null),
            SearchResult.class,
            in.requestId())
        .map(result -> outcome(settings, result, in.user()));
  }

  private static LayerOutcome outcome(LayerPolicy settings, SearchResult result, String user) {
    List<FaceFinding> faces = new ArrayList<>();
    Signal protectedSignal = null;
    Signal otherOwner = null;
    for (FaceCandidates f : result.faces()) {
      dev.imajin.contracts.identity.FaceBox b = f.face().box();
      FaceBox box = new FaceBox(b.x(), b.y(), b.width(), b.height());
      double detection = f.face().detectionScore();
      if (f.candidates().isEmpty()) {
        faces.add(new FaceFinding(box, detection, null, null, null, null, null, null));
        continue;
      }
      SearchCandidate c = f.candidates().get(0);
      boolean isProtected = c.consent() == ConsentKind.PROTECTED;
      Boolean ownerMatches = isProtected ? null : user != null && user.equals(c.owner());
      double similarity = Math.round(c.similarity() * 10_000) / 10_000.0;
      faces.add(
          new FaceFinding(
              box,
              detection,
              null,
              null,
              c.identityId(),
              isProtected ? FaceFinding.Consent.PROTECTED : FaceFinding.Consent.CONSENTED,
              ownerMatches,
              similarity));
      String where = String.format(Locale.ROOT, "the face at (%d, %d)", box.x(), box.y());
      if (isProtected) {
        if (protectedSignal == null || similarity > protectedSignal.score()) {
          protectedSignal =
              new Signal(
                  "identity:protected",
                  similarity,
                  null,
                  where + " is protected identity " + c.identityId());
        }
      } else if (!ownerMatches) {
        if (otherOwner == null || similarity > otherOwner.score()) {
          otherOwner =
              new Signal(
                  "identity:consented_other_owner",
                  similarity,
                  null,
                  where
                      + " is consented identity "
                      + c.identityId()
                      + ", whose owner is not the requesting user");
        }
      }
    }
    List<Signal> signals = new ArrayList<>();
    if (protectedSignal != null) {
      signals.add(protectedSignal);
    }
    if (otherOwner != null) {
      signals.add(otherOwner);
    }
    return new LayerOutcome(
        Outcomes.passed(settings, null, null, null, null, null, faces), signals);
  }
}
