package dev.imajin.runtime;

import dev.imajin.contracts.Addresses;
import dev.imajin.contracts.BusCodec;
import dev.imajin.contracts.Json;
import dev.imajin.contracts.ServiceId;
import dev.imajin.runtime.impl.BusBinding;
import dev.imajin.runtime.impl.ErrorMapper;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;

/**
 * Calls another service's operations over the event bus with records. Failures arrive as {@link
 * dev.imajin.contracts.ImajinException}s that name the called service: its own problems as they
 * are, a missing service as 503, no answer in time as 504.
 */
public final class ServiceClient {
  private final Vertx vertx;
  private final ServiceId target;
  private final long timeoutMs;

  public ServiceClient(Vertx vertx, ServiceId target, long timeoutMs) {
    BusCodec.install(vertx);
    this.vertx = vertx;
    this.target = target;
    this.timeoutMs = timeoutMs;
  }

  /**
   * Calls an operation.
   *
   * @param body a record of the contract or a {@code JsonObject} (parameters as its fields), or
   *     null
   * @param response the record (or {@code JsonObject}) to read the answer as
   */
  public <T> Future<T> call(String operationId, Object body, Class<T> response, String requestId) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(timeoutMs);
    if (requestId != null) {
      options.addHeader(BusBinding.REQUEST_ID_HEADER, requestId);
    }
    return vertx
        .eventBus()
        .request(Addresses.of(target, operationId), body, options)
        .map(message -> read(message.body(), response))
        .recover(
            e ->
                Future.failedFuture(
                    e instanceof ReplyException r ? ErrorMapper.fromReply(r, target.id()) : e));
  }

  private static <T> T read(Object body, Class<T> type) {
    if (body == null || type.isInstance(body)) {
      return type.cast(body);
    }
    JsonObject json = body instanceof JsonObject j ? j : Json.toJson(body);
    return type == JsonObject.class ? type.cast(json) : Json.fromJson(json, type);
  }
}
