package dev.imajin.aesthetic;

import dev.imajin.contracts.ServiceId;
import dev.imajin.contracts.aesthetic.RankRequest;
import dev.imajin.contracts.aesthetic.ScoreRequest;
import dev.imajin.contracts.common.ModelRef;
import dev.imajin.runtime.Operations;
import dev.imajin.runtime.ServiceContext;
import dev.imajin.runtime.ServiceVerticle;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The aesthetic service on its contract ({@code contracts/.../openapi/aesthetic.yaml}). It is ready
 * once the GPU Boss has listed the node's devices and answers.
 */
public final class AestheticVerticle extends ServiceVerticle {
  private AestheticService service;

  public AestheticVerticle(ServiceContext context) {
    super(ServiceId.AESTHETIC, context);
  }

  /** The service, for callers in the same JVM; null before start. */
  public AestheticService service() {
    return service;
  }

  @Override
  public Future<?> start() {
    return AestheticService.start(vertx, context)
        .compose(
            started -> {
              service = started;
              return super.start().onFailure(e -> started.close());
            });
  }

  @Override
  protected void bind(Operations operations) {
    operations
        .bind("scoreImage", ScoreRequest.class, service::scoreImage)
        .bind("rankImages", RankRequest.class, service::rankImages);
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
