package dev.imajin.runtime.impl;

import dev.imajin.contracts.Addresses;
import dev.imajin.contracts.BusMessage;
import dev.imajin.contracts.ImajinException;
import dev.imajin.contracts.Json;
import dev.imajin.contracts.ServiceId;
import dev.imajin.runtime.OperationHandler;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.RequestValidator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a service's operations on the event bus. A message is validated against the contract like
 * an HTTP request. A caller that sent a record gets a record back; a caller that sent a {@code
 * JsonObject} (a peer without imajin's classes) gets a {@code JsonObject}; an operation answered
 * with an {@link dev.imajin.runtime.EventStream} replies with its page. Failures are replies failed
 * with the HTTP status as code and the problem JSON as message.
 */
public final class BusBinding {
  /** Message header carrying the request id. */
  public static final String REQUEST_ID_HEADER = "x-request-id";

  private static final Logger LOG = LoggerFactory.getLogger("imajin.bus");

  private final ServiceId service;
  private final OpenAPIContract contract;
  private final Map<String, OperationHandler> handlers;
  private final OperationMetrics metrics;
  private final List<MessageConsumer<Object>> consumers = new ArrayList<>();

  public BusBinding(
      ServiceId service,
      OpenAPIContract contract,
      Map<String, OperationHandler> handlers,
      OperationMetrics metrics) {
    this.service = service;
    this.contract = contract;
    this.handlers = handlers;
    this.metrics = metrics;
  }

  /** Registers a consumer per operation; completes once every registration has propagated. */
  public Future<Void> bind(Vertx vertx) {
    RequestValidator validator = RequestValidator.create(vertx, contract);
    List<Future<Void>> registered = new ArrayList<>();
    for (Operation op : contract.operations()) {
      String address = Addresses.of(service, op.getOperationId());
      MessageConsumer<Object> consumer =
          vertx.eventBus().consumer(address, message -> serve(validator, op, address, message));
      consumers.add(consumer);
      registered.add(consumer.completion());
    }
    return Future.all(registered).mapEmpty();
  }

  public Future<Void> unbind() {
    return Future.join(consumers.stream().map(MessageConsumer::unregister).toList()).mapEmpty();
  }

  private void serve(
      RequestValidator validator, Operation op, String address, Message<Object> message) {
    String requestId = RequestIds.accept(message.headers().get(REQUEST_ID_HEADER));
    Object body = message.body();
    boolean typed = body instanceof BusMessage;
    OperationHandler handler = handlers.get(op.getOperationId());
    Future<?> result =
        Future.succeededFuture(body)
            .map(BusBinding::asJson)
            .compose(json -> validator.validate(Inputs.fromMessage(op, json), op.getOperationId()))
            .recover(e -> Future.failedFuture(ErrorMapper.unreadableRequest(e)))
            .map(validated -> Inputs.from(op, validated, requestId))
            .compose(
                input ->
                    handler == null
                        ? Future.failedFuture(
                            ImajinException.notImplemented(service.id(), op.getOperationId()))
                        : Inputs.invoke(handler, input))
            .compose(ServerSentEvents::settle);
    metrics
        .time(op.getOperationId(), "bus", result)
        .onComplete(
            done -> {
              if (done.succeeded()) {
                Object reply = done.result();
                message.reply(
                    reply == null
                            || (typed && reply instanceof BusMessage)
                            || reply instanceof JsonObject
                        ? reply
                        : Json.toJson(reply));
              } else {
                ImajinException error = ErrorMapper.toImajin(done.cause());
                if (error.status() >= 500 && error.status() != 501) {
                  LOG.error(
                      "{} failed [{}]: {}",
                      address,
                      requestId,
                      error.getMessage(),
                      error.getCause() != null ? error.getCause() : error);
                }
                message.fail(
                    error.status(),
                    Json.toJson(error.toProblem(service.id(), address, requestId)).encode());
              }
            });
  }

  private static JsonObject asJson(Object body) {
    if (body == null || body instanceof JsonObject) {
      return (JsonObject) body;
    }
    if (body instanceof BusMessage) {
      return Json.toJson(body);
    }
    if (body instanceof String text && text.trim().startsWith("{")) {
      return new JsonObject(text);
    }
    throw ImajinException.badRequest(
        "the message body must be a JSON object, was " + body.getClass().getSimpleName());
  }
}
