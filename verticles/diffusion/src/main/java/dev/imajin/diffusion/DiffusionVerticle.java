package dev.imajin.diffusion;

import dev.imajin.contracts.ServiceId;
import dev.imajin.contracts.common.ModelRef;
import dev.imajin.contracts.diffusion.GenerateRequest;
import dev.imajin.contracts.diffusion.GenerationJobRequest;
import dev.imajin.contracts.diffusion.Img2ImgRequest;
import dev.imajin.contracts.diffusion.InpaintRequest;
import dev.imajin.contracts.diffusion.LoadModelRequest;
import dev.imajin.runtime.OperationInput;
import dev.imajin.runtime.Operations;
import dev.imajin.runtime.ServiceContext;
import dev.imajin.runtime.ServiceVerticle;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The diffusion service on its contract ({@code contracts/.../openapi/diffusion.yaml}). It is ready
 * once the GPU Boss has listed the node's devices and answers.
 */
public final class DiffusionVerticle extends ServiceVerticle {
  private DiffusionService service;

  public DiffusionVerticle(ServiceContext context) {
    super(ServiceId.DIFFUSION, context);
  }

  /** The service, for callers in the same JVM; null before start. */
  public DiffusionService service() {
    return service;
  }

  @Override
  public Future<?> start() {
    return DiffusionService.start(vertx, context)
        .compose(
            started -> {
              service = started;
              return super.start().onFailure(e -> started.close());
            });
  }

  @Override
  protected void bind(Operations operations) {
    operations
        .bind("generate", GenerateRequest.class, service::generate)
        .bind("img2img", Img2ImgRequest.class, service::img2img)
        .bind("inpaint", InpaintRequest.class, service::inpaint)
        .bind("listModels", in -> service.listModels())
        .bind("getModel", in -> service.getModel(in.param("model_id")))
        .bind("loadModel", in -> service.loadModel(in.param("model_id"), loadRequest(in)))
        .bind("unloadModel", in -> service.unloadModel(in.param("model_id")))
        .bind(
            "createJob",
            GenerationJobRequest.class,
            (request, in) -> service.createJob(request, in.param("idempotency_key")))
        .bind("getJob", in -> service.getJob(in.param("job_id")))
        .bind("cancelJob", in -> service.cancelJob(in.param("job_id")))
        .bind(
            "streamJobEvents",
            in -> service.streamJobEvents(in.param("job_id"), in.param("last_event_id")));
  }

  private static LoadModelRequest loadRequest(OperationInput in) {
    return in.body() == null ? null : in.body(LoadModelRequest.class);
  }

  @Override
  protected Set<ServiceId> downstreams() {
    return Set.of(ServiceId.GPU_BOSS);
  }

  @Override
  protected Map<String, Supplier<Future<?>>> readinessChecks() {
    return Map.of("devices", () -> service.devicesReady());
  }

  @Override
  protected List<ModelRef> loadedModels() {
    return service == null ? List.of() : service.loadedModels();
  }

  @Override
  public Future<?> stop() {
    return super.stop().compose(v -> service == null ? Future.succeededFuture() : service.close());
  }
}
