package dev.imajin.aesthetic;

import dev.imajin.aesthetic.impl.DefaultAestheticService;
import dev.imajin.contracts.aesthetic.RankRequest;
import dev.imajin.contracts.aesthetic.RankResult;
import dev.imajin.contracts.aesthetic.ScoreRequest;
import dev.imajin.contracts.aesthetic.ScoreResult;
import dev.imajin.contracts.common.ModelRef;
import dev.imajin.runtime.ServiceContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;

/**
 * Prompt-image rewards from the registry's {@code image-reward} models (docs/aesthetic.md): each
 * model loads inside a GPU Boss lease on first use and stays resident; a request names its model or
 * gets {@code aesthetic.reward-model} (else the first image-reward model by id). No aesthetic
 * predictor is built: results carry the reward only.
 *
 * <p>Methods are called on the verticle's event loop and return at once; file checks, image
 * decoding and preprocessing run on the {@code aesthetic-io} worker pool, inference on the device's
 * pool. Failures are {@link dev.imajin.contracts.ImajinException}s: 400 for invalid base64 and 413
 * for an image that declares too many pixels, naming the field ({@code image}, {@code
 * candidates[i]}); 422 for an image that cannot be decoded (naming the field), a model that does
 * not exist or is not an image-reward model, a model folder or graph that cannot be used; 503 when
 * no image-reward model is installed, before the GPU Boss has listed the node's devices, or when
 * device memory is not granted in time; 500 naming the service when a model fails to run.
 */
public interface AestheticService {

  /** Scans the model roots and starts asking the GPU Boss for the node's devices. */
  static Future<AestheticService> start(Vertx vertx, ServiceContext context) {
    return DefaultAestheticService.start(vertx, context).map(s -> s);
  }

  /** The image's normalised reward for its prompt. */
  Future<ScoreResult> scoreImage(ScoreRequest request);

  /** Every candidate's reward, best first; ties keep the request's order. */
  Future<RankResult> rankImages(RankRequest request);

  /** Succeeds once the GPU Boss has listed the node's devices, so models can load. */
  Future<Void> devicesReady();

  /** The models loaded now, for {@code info}. */
  List<ModelRef> loadedModels();

  /** Unloads the models and releases their leases. */
  Future<Void> close();
}
