package dev.imajin.runtime.impl;

import dev.imajin.runtime.OperationHandler;
import dev.imajin.runtime.OperationInput;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.common.dsl.SchemaType;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.contract.Style;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatableRequest;
import io.vertx.openapi.validation.ValidatedRequest;
import io.vertx.openapi.validation.impl.RequestParameterImpl;
import io.vertx.openapi.validation.impl.ValidatableRequestImpl;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** Turns validated requests, from HTTP or the event bus, into {@link OperationInput}s. */
final class Inputs {
  private Inputs() {}

  static OperationInput from(Operation op, ValidatedRequest validated, String requestId) {
    JsonObject params = new JsonObject();
    for (Map<String, RequestParameter> group :
        java.util.List.of(
            validated.getPathParameters(),
            validated.getQuery(),
            validated.getHeaders(),
            validated.getCookies())) {
      group.forEach(
          (name, value) -> {
            if (value != null && !value.isNull()) {
              params.put(OperationInput.busName(name), value.get());
            }
          });
    }
    RequestParameter body = validated.getBody();
    Object content = body == null || body.isNull() ? null : body.get();
    return new OperationInput(
        op.getOperationId(),
        params,
        content instanceof JsonObject json ? json : null,
        content instanceof Buffer raw ? raw : null,
        requestId);
  }

  /**
   * The event-bus message as a request the contract's validator can check: the fields named like
   * the operation's parameters are its parameters (as the strings HTTP would carry), the rest is
   * the body.
   */
  static ValidatableRequest fromMessage(Operation op, JsonObject message) {
    JsonObject body = message == null ? new JsonObject() : message.copy();
    Map<String, RequestParameter> path = new HashMap<>();
    Map<String, RequestParameter> query = new HashMap<>();
    Map<String, RequestParameter> headers = new HashMap<>();
    Map<String, RequestParameter> cookies = new HashMap<>();
    for (Parameter p : op.getParameters()) {
      Object value = body.remove(OperationInput.busName(p.getName()));
      RequestParameter param = new RequestParameterImpl(httpForm(p, value));
      switch (p.getIn()) {
        case PATH -> path.put(p.getName(), param);
        case QUERY -> query.put(p.getName(), param);
        case HEADER -> headers.put(p.getName(), param);
        case COOKIE -> cookies.put(p.getName(), param);
      }
    }
    if (op.getRequestBody() == null) {
      return new ValidatableRequestImpl(cookies, headers, path, query);
    }
    RequestParameter content =
        new RequestParameterImpl(message == null ? null : Buffer.buffer(body.encode()));
    return new ValidatableRequestImpl(cookies, headers, path, query, content, Responses.JSON);
  }

  /**
   * A message field in the raw form vertx-openapi extracts from HTTP: scalars as text; arrays and
   * objects comma-separated, or as {@code name=value&...} pairs when exploded in the form style.
   */
  static String httpForm(Parameter parameter, Object value) {
    if (value == null) {
      return null;
    }
    boolean exploded = parameter.isExplode() && parameter.getStyle() == Style.FORM;
    if (value instanceof JsonArray items) {
      return items.stream()
          .map(item -> exploded ? parameter.getName() + "=" + item : String.valueOf(item))
          .collect(Collectors.joining(exploded ? "&" : ","));
    }
    if (value instanceof JsonObject fields) {
      return fields.stream()
          .map(e -> e.getKey() + (exploded ? "=" : ",") + e.getValue())
          .collect(Collectors.joining(exploded ? "&" : ","));
    }
    if (exploded && parameter.getSchemaType() == SchemaType.ARRAY) {
      return parameter.getName() + "=" + value;
    }
    return value.toString();
  }

  /** Runs the handler; a handler that throws fails its future instead. */
  static Future<?> invoke(OperationHandler handler, OperationInput input) {
    try {
      Future<?> result = handler.handle(input);
      return result == null
          ? Future.failedFuture(
              new IllegalStateException(
                  "the handler of " + input.operationId() + " returned no future"))
          : result;
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** The status of the operation's success answer: the lowest 2xx its contract declares. */
  static int successStatus(Operation op) {
    for (int status = 200; status < 300; status++) {
      if (op.getResponse(status) != null) {
        return status;
      }
    }
    return 200;
  }
}
