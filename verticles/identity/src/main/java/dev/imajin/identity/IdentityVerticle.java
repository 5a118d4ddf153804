package dev.imajin.identity;

import dev.imajin.contracts.ServiceId;
import dev.imajin.contracts.common.ModelRef;
import dev.imajin.contracts.identity.AddFacesRequest;
import dev.imajin.contracts.identity.ConsentKind;
import dev.imajin.contracts.identity.EnrolIdentityRequest;
import dev.imajin.contracts.identity.SearchIdentitiesRequest;
import dev.imajin.contracts.identity.VerifyIdentityRequest;
import dev.imajin.runtime.OperationInput;
import dev.imajin.runtime.Operations;
import dev.imajin.runtime.ServiceContext;
import dev.imajin.runtime.ServiceVerticle;
import io.vertx.core.Future;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The identity service on its contract ({@code contracts/.../openapi/identity.yaml}). It is ready
 * once the GPU Boss has listed the node's devices and answers.
 */
public final class IdentityVerticle extends ServiceVerticle {
  /** The contract's default page size. */
  static final int DEFAULT_PAGE = 50;

  private IdentityService service;

  public IdentityVerticle(ServiceContext context) {
    super(ServiceId.IDENTITY, context);
  }

  /** The service, for callers in the same JVM; null before start. */
  public IdentityService service() {
    return service;
  }

  @Override
  public Future<?> start() {
    return IdentityService.start(vertx, context)
        .compose(
            started -> {
              service = started;
              return super.start().onFailure(e -> started.close());
            });
  }

  @Override
  protected void bind(Operations operations) {
    operations
        .bind("enrolIdentity", EnrolIdentityRequest.class, service::enrolIdentity)
        .bind(
            "addFaces",
            AddFacesRequest.class,
            (body, in) -> service.addFaces(in.param("identity_id"), body))
        .bind("getIdentity", in -> service.getIdentity(in.param("identity_id")))
        .bind("deleteIdentity", in -> service.deleteIdentity(in.param("identity_id")))
        .bind("listIdentities", this::list)
        .bind(
            "verifyIdentity",
            VerifyIdentityRequest.class,
            (body, in) -> service.verifyIdentity(in.param("identity_id"), body))
        .bind("searchIdentities", SearchIdentitiesRequest.class, service::searchIdentities);
  }

  private Future<?> list(OperationInput in) {
    String consent = in.param("consent");
    String limit = in.param("limit");
    return service.listIdentities(
        consent == null ? null : ConsentKind.valueOf(consent.toUpperCase(Locale.ROOT)),
        in.param("owner"),
        limit == null ? DEFAULT_PAGE : (int) Double.parseDouble(limit),
        in.param("cursor"));
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
