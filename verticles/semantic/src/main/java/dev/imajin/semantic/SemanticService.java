package dev.imajin.semantic;

import dev.imajin.contracts.common.ModelRef;
import dev.imajin.contracts.semantic.ScoreRequest;
import dev.imajin.contracts.semantic.ScoreResult;
import dev.imajin.contracts.semantic.ValidationRequest;
import dev.imajin.contracts.semantic.ValidationResult;
import dev.imajin.runtime.ServiceContext;
import dev.imajin.semantic.impl.DefaultSemanticService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;

/**
 * Zero-shot checks that an image shows given concepts, with an image-text-similarity model of the
 * registry ({@code models.roots}): a SigLIP-style dual encoder whose image and text towers are
 * loaded inside a GPU Boss lease. Each text, wrapped in its template, gets {@code
 * sigmoid(cos(image, text) * exp(logit_scale) + logit_bias)}, independently of the others.
 *
 * <p>Methods are called on the verticle's event loop and return at once; image decoding and
 * preprocessing run on the {@code semantic-io} worker pool, the towers on the device's pool.
 * Failures are {@link dev.imajin.contracts.ImajinException}s: 400 for invalid base64 ({@code
 * image.b64}) or a template without one {@code {}}; 413 for an image that declares too many pixels;
 * 422 for an unusable image (naming {@code image}), for a named model that does not exist, is not
 * an image-text-similarity model or cannot be used (pointer {@code /model}), or a model whose files
 * or graphs disagree with its manifest; 503 when no semantic model is installed, when the GPU Boss
 * has not listed the node's devices yet, or when {@code semantic.max-queued} requests already wait;
 * the GPU Boss's 503 when device memory is not granted in time; 500 naming the service when ONNX
 * Runtime fails.
 */
public interface SemanticService {

  /** Scans the model roots and starts asking the GPU Boss for the node's devices. */
  static Future<SemanticService> start(Vertx vertx, ServiceContext context) {
    return DefaultSemanticService.start(vertx, context).map(s -> s);
  }

  /** Scores the image against every concept and checks each against the threshold. */
  Future<ValidationResult> validateImage(ValidationRequest request);

  /** Scores the image against every text, in order. */
  Future<ScoreResult> scoreImage(ScoreRequest request);

  /** Succeeds once the GPU Boss has listed the node's devices, so models can load. */
  Future<Void> devicesReady();

  /** The models loaded now, for {@code info}. */
  List<ModelRef> loadedModels();

  /** Unloads the models and releases their leases. */
  Future<Void> close();
}
