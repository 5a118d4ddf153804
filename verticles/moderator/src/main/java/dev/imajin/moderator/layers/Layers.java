package dev.imajin.moderator.layers;

import dev.imajin.inference.model.ModelCatalog;
import dev.imajin.inference.runtime.HostedModels;
import dev.imajin.moderator.ModeratorService;
import dev.imajin.runtime.ServiceClient;
import io.vertx.core.WorkerExecutor;
import java.util.List;

/** The five layers, in the order of the contract's {@code Layer}. */
public final class Layers {
  private Layers() {}

  /**
   * @param banks the moderator's own hash banks, for {@code hash_match}
   * @param models the moderator's model host, for the classifier and age slots
   * @param io the pool that checks model files and decodes
   * @param semantic the semantic service, which scores the concepts of {@code prohibited_content}
   * @param identity the identity service, for {@code identity_verification}
   */
  public static List<ModerationLayer> standard(
      ModeratorService banks,
      HostedModels models,
      ModelCatalog catalog,
      WorkerExecutor io,
      ServiceClient semantic,
      ServiceClient identity) {
    ModelSlots slots = new ModelSlots(models, catalog, io);
    return List.of(
        new HashMatchLayer(banks),
        new ImageClassifierLayer(slots),
        new AgeEstimationLayer(slots, io),
        new ProhibitedContentLayer(semantic),
        new IdentityVerificationLayer(identity));
  }
}
