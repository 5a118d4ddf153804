package dev.imajin.runtime;

import dev.imajin.contracts.Addresses;
import dev.imajin.contracts.BusCodec;
import dev.imajin.contracts.Contracts;
import dev.imajin.contracts.ServiceId;
import dev.imajin.contracts.common.ModelRef;
import dev.imajin.contracts.common.OperationStatus;
import dev.imajin.contracts.common.ServiceInfo;
import dev.imajin.runtime.config.ImajinConfig;
import dev.imajin.runtime.impl.BusBinding;
import dev.imajin.runtime.impl.Health;
import dev.imajin.runtime.impl.HttpEdge;
import dev.imajin.runtime.impl.OperationMetrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import java.net.BindException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The shape every imajin service shares. A subclass only wires: it builds its service from the
 * context and binds operations in {@link #bind(Operations)}. The kit loads the service's contract,
 * serves every operation over HTTP (validated, with problems for errors and 501 for what is not
 * bound) and on the event bus at {@code imajin.<service>.<operationId>}, answers {@code info}, and
 * serves health, metrics and the contract.
 */
public abstract class ServiceVerticle extends VerticleBase {
  static final long DOWNSTREAM_CHECK_TIMEOUT_MS = 1_500;

  protected final ServiceId id;
  protected final ServiceContext context;
  private HttpServer server;
  private BusBinding bus;
  private String served;

  protected ServiceVerticle(ServiceId id, ServiceContext context) {
    this.id = id;
    this.context = context;
  }

  /** Binds the operations this service has built. Called once, on the verticle's event loop. */
  protected void bind(Operations operations) {}

  /** Readiness checks by name, run for {@code /health/ready}; each fails its future when down. */
  protected Map<String, Supplier<Future<?>>> readinessChecks() {
    return Map.of();
  }

  /**
   * The services this one calls. Readiness asks each for its {@code info} over the event bus, so a
   * service is ready only when every downstream answers, on this node or another of the cluster.
   */
  protected Set<ServiceId> downstreams() {
    return Set.of();
  }

  /** The models this service has loaded now, reported by {@code info}. */
  protected List<ModelRef> loadedModels() {
    return List.of();
  }

  /** The port the HTTP edge listens on, once started. */
  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }

  @Override
  public Future<?> start() {
    BusCodec.install(vertx);
    Operations operations = new Operations();
    bind(operations);
    return OpenAPIContract.from(vertx, Contracts.routable(id))
        .compose(contract -> serve(contract, operations))
        .onSuccess(s -> server = s)
        .recover(this::explainStartFailure);
  }

  private Future<HttpServer> serve(OpenAPIContract contract, Operations operations) {
    checkBound(contract, operations);
    Map<String, OperationHandler> handlers = new HashMap<>(operations.handlers());
    handlers.put("info", in -> Future.succeededFuture(info(contract, handlers)));
    OperationMetrics metrics = new OperationMetrics(id, context.metrics());
    ImajinConfig.Http http = context.config().http();
    Router router =
        new HttpEdge(id, contract, handlers, metrics)
            .router(
                vertx,
                http.maxBodyBytes(),
                bodyLimits(),
                new Health(id.id(), allReadinessChecks()),
                context.metrics()::scrape,
                this::served);
    bus = new BusBinding(id, contract, handlers, metrics);
    return bus.bind(vertx)
        .compose(
            v ->
                vertx
                    .createHttpServer(
                        // curl and most HTTP clients send "Expect: 100-continue" with bodies over
                        // 1 KiB and wait a second for the interim answer before sending them
                        new HttpServerOptions()
                            .setHost(http.host())
                            .setHandle100ContinueAutomatically(true))
                    .requestHandler(router)
                    .listen(context.config().service(id).port()));
  }

  /**
   * Body limits of operations that take more than {@code http.max-body-bytes} (a bulk import), by
   * operation id; none by default.
   */
  protected Map<String, Long> bodyLimits() {
    return Map.of();
  }

  @Override
  public Future<?> stop() {
    Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
    return bus == null ? closed : closed.compose(v -> bus.unbind());
  }

  private Map<String, Supplier<Future<?>>> allReadinessChecks() {
    Map<String, Supplier<Future<?>>> checks = new TreeMap<>(readinessChecks());
    for (ServiceId downstream : downstreams()) {
      ServiceClient client = new ServiceClient(vertx, downstream, DOWNSTREAM_CHECK_TIMEOUT_MS);
      checks.put(
          "service:" + downstream.id(), () -> client.call("info", null, ServiceInfo.class, null));
    }
    return checks;
  }

  /** The contract as served, with this service's own address; made on first request. */
  private String served() {
    if (served == null) {
      String url = "http://" + context.config().http().publicHost() + ":" + actualPort();
      served = Contracts.bundledYaml(id, url);
    }
    return served;
  }

  private void checkBound(OpenAPIContract contract, Operations operations) {
    for (String operationId : operations.handlers().keySet()) {
      if (contract.operations().stream().noneMatch(op -> op.getOperationId().equals(operationId))) {
        throw new IllegalStateException(
            "service " + id + " binds " + operationId + ", which its contract does not define");
      }
    }
  }

  private ServiceInfo info(OpenAPIContract contract, Map<String, OperationHandler> handlers) {
    List<OperationStatus> operations =
        contract.operations().stream()
            .map(op -> status(op, handlers.containsKey(op.getOperationId())))
            .toList();
    return new ServiceInfo(
        id.id(), BuildInfo.current().version(), BuildInfo.current(), loadedModels(), operations);
  }

  private OperationStatus status(Operation op, boolean built) {
    return new OperationStatus(
        op.getOperationId(),
        op.getHttpMethod().name(),
        op.getOpenAPIPath(),
        Addresses.of(id, op.getOperationId()),
        built);
  }

  private <T> Future<T> explainStartFailure(Throwable failure) {
    Throwable cause = failure;
    while (cause.getCause() != null && !(cause instanceof BindException)) {
      cause = cause.getCause();
    }
    if (cause instanceof BindException) {
      int port = context.config().service(id).port();
      return Future.failedFuture(
          new IllegalStateException(
              "service "
                  + id
                  + " cannot listen on "
                  + context.config().http().host()
                  + ":"
                  + port
                  + ": "
                  + cause.getMessage()
                  + " (set services."
                  + id
                  + ".port)",
              failure));
    }
    return Future.failedFuture(failure);
  }
}
