package dev.imajin.runtime.impl;

import dev.imajin.contracts.ImajinException;
import dev.imajin.contracts.ServiceId;
import dev.imajin.contracts.common.Problem;
import dev.imajin.runtime.EventStream;
import dev.imajin.runtime.OperationHandler;
import dev.imajin.runtime.OperationInput;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.ValidatedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service's HTTP edge, built from its contract: every operation validated by
 * vertx-web-openapi-router and dispatched to its handler; valid calls of unbound operations
 * answered with 501, every failure answered as a problem, plus health, metrics and the contract
 * itself. A handler that answers an {@link EventStream} is written as Server-Sent Events.
 */
public final class HttpEdge {
  private static final Logger LOG = LoggerFactory.getLogger("imajin.http");
  static final String REQUEST_ID = "imajin.requestId";
  private static final Object STREAMING = new Object();

  private final ServiceId service;
  private final OpenAPIContract contract;
  private final Map<String, OperationHandler> handlers;
  private final OperationMetrics metrics;

  public HttpEdge(
      ServiceId service,
      OpenAPIContract contract,
      Map<String, OperationHandler> handlers,
      OperationMetrics metrics) {
    this.service = service;
    this.contract = contract;
    this.handlers = handlers;
    this.metrics = metrics;
  }

  /** The router of the edge; {@code served} is the YAML served at {@code /openapi.yaml}. */
  public Router router(
      Vertx vertx,
      long maxBodyBytes,
      Map<String, Long> bodyLimits,
      Health health,
      Supplier<String> scrape,
      Supplier<String> served) {
    RouterBuilder builder =
        RouterBuilder.create(vertx, contract, RequestExtractor.withBodyHandler());
    builder.rootHandler(bodies(builder, maxBodyBytes, bodyLimits));
    builder.rootHandler(this::tagRequest);
    for (OpenAPIRoute route : builder.getRoutes()) {
      Operation op = route.getOperation();
      route.addFailureHandler(this::answerOperationFailure);
      OperationHandler handler = handlers.get(op.getOperationId());
      if (handler == null) {
        route.addHandler(
            ctx -> ctx.fail(ImajinException.notImplemented(service.id(), op.getOperationId())));
      } else {
        int status = Inputs.successStatus(op);
        route.addHandler(ctx -> dispatch(ctx, op, handler, status));
      }
    }
    Router router = builder.createRouter();
    router.get("/health/live").handler(ctx -> health.live(ctx.response()));
    router.get("/health/ready").handler(ctx -> health.ready(ctx.response()));
    router
        .get("/metrics")
        .handler(
            ctx ->
                ctx.response()
                    .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                    .end(scrape.get()));
    router
        .get("/openapi.yaml")
        .handler(
            ctx ->
                ctx.response()
                    .putHeader("Content-Type", "application/yaml; charset=utf-8")
                    .end(served.get()));
    router.route().failureHandler(this::answerFailure);
    for (int status : new int[] {400, 404, 405, 406, 413, 415, 500, 501}) {
      router.errorHandler(status, this::answerFailure);
    }
    return router;
  }

  /**
   * The body handler: {@code maxBodyBytes} for every operation but those of {@code bodyLimits}
   * (operation id to bytes), matched by method and path template.
   */
  private static Handler<RoutingContext> bodies(
      RouterBuilder builder, long maxBodyBytes, Map<String, Long> bodyLimits) {
    BodyHandler standard = BodyHandler.create(false).setBodyLimit(maxBodyBytes);
    List<SizedRoute> sized = new ArrayList<>();
    for (OpenAPIRoute route : builder.getRoutes()) {
      Operation op = route.getOperation();
      Long limit = bodyLimits.get(op.getOperationId());
      if (limit != null) {
        String[] parts = op.getOpenAPIPath().split("\\{[^}/]+}", -1);
        StringBuilder regex = new StringBuilder(Pattern.quote(parts[0]));
        for (int i = 1; i < parts.length; i++) {
          regex.append("[^/]+").append(Pattern.quote(parts[i]));
        }
        sized.add(
            new SizedRoute(
                op.getHttpMethod(),
                Pattern.compile(regex.toString()),
                BodyHandler.create(false).setBodyLimit(limit)));
      }
    }
    if (sized.isEmpty()) {
      return standard;
    }
    return ctx -> {
      for (SizedRoute r : sized) {
        if (r.method().equals(ctx.request().method())
            && r.path().matcher(ctx.request().path()).matches()) {
          r.body().handle(ctx);
          return;
        }
      }
      standard.handle(ctx);
    };
  }

  private record SizedRoute(HttpMethod method, Pattern path, BodyHandler body) {}

  private void tagRequest(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String requestId = RequestIds.accept(request.getHeader(RequestIds.HEADER));
    long start = System.nanoTime();
    ctx.put(REQUEST_ID, requestId);
    ctx.response().putHeader(RequestIds.HEADER, requestId);
    ctx.addEndHandler(
        done ->
            LOG.info(
                "{} {} {} -> {} in {} ms [{}]",
                service,
                request.method(),
                request.path(),
                ctx.response().getStatusCode(),
                (System.nanoTime() - start) / 1_000_000,
                requestId));
    ctx.next();
  }

  private void dispatch(RoutingContext ctx, Operation op, OperationHandler handler, int status) {
    ValidatedRequest validated = ctx.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
    OperationInput input = Inputs.from(op, validated, ctx.get(REQUEST_ID));
    metrics
        .time(op.getOperationId(), "http", Inputs.invoke(handler, input))
        .compose(
            body -> {
              if (body instanceof EventStream stream && ServerSentEvents.wanted(ctx.request())) {
                ServerSentEvents.write(ctx.response(), stream);
                return Future.<Object>succeededFuture(STREAMING);
              }
              return ServerSentEvents.settle(body);
            })
        .onSuccess(
            body -> {
              if (body == STREAMING) {
                return;
              }
              if (body == null) {
                ctx.response().setStatusCode(204).end();
              } else {
                ctx.response()
                    .setStatusCode(status)
                    .putHeader("Content-Type", Responses.JSON)
                    .end(Responses.encode(body));
              }
            })
        .onFailure(ctx::fail);
  }

  private void answerFailure(RoutingContext ctx) {
    answer(ctx, ctx.failure());
  }

  /** Failures of an operation before its handler ran are failures to read the request. */
  private void answerOperationFailure(RoutingContext ctx) {
    boolean validated = ctx.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST) != null;
    Throwable failure = ctx.failure();
    answer(ctx, validated || failure == null ? failure : ErrorMapper.unreadableRequest(failure));
  }

  private void answer(RoutingContext ctx, Throwable failure) {
    ImajinException error =
        failure != null
            ? ErrorMapper.toImajin(failure)
            : ErrorMapper.toImajin(new io.vertx.ext.web.handler.HttpException(ctx.statusCode()));
    String requestId = ctx.get(REQUEST_ID);
    if (requestId == null) {
      requestId = RequestIds.accept(ctx.request().getHeader(RequestIds.HEADER));
      ctx.response().putHeader(RequestIds.HEADER, requestId);
    }
    Problem problem = error.toProblem(service.id(), ctx.request().path(), requestId);
    if (problem.status() >= 500 && problem.status() != 501) {
      LOG.error(
          "{} {} {} failed [{}]: {}",
          service,
          ctx.request().method(),
          ctx.request().path(),
          requestId,
          problem.detail(),
          error.getCause() != null ? error.getCause() : error);
    }
    Responses.problem(ctx.response(), problem);
  }
}
