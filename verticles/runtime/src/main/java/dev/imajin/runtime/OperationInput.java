package dev.imajin.runtime;

import dev.imajin.contracts.ImajinException;
import dev.imajin.contracts.Json;
import dev.imajin.contracts.common.FieldError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A validated call of an operation, the same whether it came over HTTP or the event bus.
 *
 * @param operationId the contract's operation id
 * @param params the operation's parameters, by bus name (lower case, {@code -} as {@code _}), with
 *     the types their schemas give
 * @param body the JSON request body, or null when the operation has none or it was not JSON
 * @param raw the request body when the contract lets it be raw bytes ({@code
 *     application/octet-stream}) and the caller sent them, else null
 * @param requestId the request id, logged and echoed in problems
 */
public record OperationInput(
    String operationId, JsonObject params, JsonObject body, Buffer raw, String requestId) {

  /** The body as the given record; a body the record cannot hold is a validation problem. */
  public <T> T body(Class<T> type) {
    if (body == null) {
      throw ImajinException.validation(
          "the request has no body", List.of(new FieldError("", "a body is required")));
    }
    try {
      return Json.fromJson(body, type);
    } catch (IllegalArgumentException e) {
      throw ImajinException.validation(
          "the body does not fit " + type.getSimpleName() + ": " + e.getMessage(), List.of());
    }
  }

  /** A string parameter, or null when the request does not carry it. */
  public String param(String busName) {
    Object value = params.getValue(busName);
    return value == null ? null : value.toString();
  }

  /** The parameter name as it appears on the event bus and in {@link #params()}. */
  public static String busName(String parameterName) {
    return parameterName.toLowerCase(java.util.Locale.ROOT).replace('-', '_');
  }
}
