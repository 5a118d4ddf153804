package dev.imajin.diffusion;

import dev.imajin.contracts.common.Job;
import dev.imajin.contracts.common.ModelRef;
import dev.imajin.contracts.diffusion.DiffusionModel;
import dev.imajin.contracts.diffusion.GenerateRequest;
import dev.imajin.contracts.diffusion.GenerationJob;
import dev.imajin.contracts.diffusion.GenerationJobRequest;
import dev.imajin.contracts.diffusion.GenerationResult;
import dev.imajin.contracts.diffusion.Img2ImgRequest;
import dev.imajin.contracts.diffusion.InpaintRequest;
import dev.imajin.contracts.diffusion.LoadModelRequest;
import dev.imajin.contracts.diffusion.ModelList;
import dev.imajin.diffusion.impl.DefaultDiffusionService;
import dev.imajin.runtime.EventStream;
import dev.imajin.runtime.ServiceContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;

/**
 * Stable Diffusion on the node's devices: the text-to-image models of the registry ({@code
 * models.roots}), loaded inside GPU Boss leases, generating from text, from an image, or into a
 * mask, synchronously or as jobs whose per-step progress is stored in Redis and streamed.
 *
 * <p>Methods are called on the verticle's event loop and return at once; file checks, hashing and
 * image codecs run on the {@code diffusion-io} worker pool, inference on the device's pool.
 * Failures are {@link dev.imajin.contracts.ImajinException}s: 404 for an unknown model or job; 422
 * for a model folder that is refused (naming the file), a size or count over a limit (naming it),
 * an unusable input image; 413 for an input that declares too many pixels; 501 for WebP output and
 * for what the pipeline does not build; the GPU Boss's own 409 or 503 when device memory is not
 * granted; 503 with a retry hint when the queue is full or the GPU Boss has not listed its devices
 * yet.
 */
public interface DiffusionService {

  /** Scans the model roots and starts asking the GPU Boss for the node's devices. */
  static Future<DiffusionService> start(Vertx vertx, ServiceContext context) {
    return DefaultDiffusionService.start(vertx, context).map(s -> s);
  }

  Future<GenerationResult> generate(GenerateRequest request);

  Future<GenerationResult> img2img(Img2ImgRequest request);

  Future<GenerationResult> inpaint(InpaintRequest request);

  /** Every text-to-image model of the registry, loaded or not. */
  Future<ModelList> listModels();

  /** One model, with its files (and their hashes once it has loaded). */
  Future<DiffusionModel> getModel(String modelId);

  /** Loads a model and keeps it resident; a model already loaded answers its state. */
  Future<DiffusionModel> loadModel(String modelId, LoadModelRequest request);

  /** Unloads a model and releases its lease; a model not loaded answers its state. */
  Future<DiffusionModel> unloadModel(String modelId);

  /** Checks and admits a generation, then runs it in the background as a job. */
  Future<Job> createJob(GenerationJobRequest request, String idempotencyKey);

  Future<GenerationJob> getJob(String jobId);

  /** Cancels a job: at once when it has not started, else at its next step. 409 once it ended. */
  Future<Job> cancelJob(String jobId);

  /** The job's events after {@code lastEventId} (all when null), live until its final event. */
  Future<EventStream> streamJobEvents(String jobId, String lastEventId);

  /** Succeeds once the GPU Boss has listed the node's devices, so models can load. */
  Future<Void> devicesReady();

  /** The models loaded now, for {@code info}. */
  List<ModelRef> loadedModels();

  /** Cancels this node's jobs, unloads its models, releases its leases. */
  Future<Void> close();
}
