package dev.imajin.runtime;

import io.vertx.core.Future;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The operations a service has built, by operation id. A verticle fills it in {@link
 * ServiceVerticle#bind(Operations)}; the kit serves each one over HTTP and the event bus, and
 * answers every operation of the contract that is not bound with a 501 problem.
 */
public final class Operations {
  private final Map<String, OperationHandler> handlers = new LinkedHashMap<>();

  /** Binds an operation that reads its parameters itself. */
  public Operations bind(String operationId, OperationHandler handler) {
    if (handlers.putIfAbsent(operationId, handler) != null) {
      throw new IllegalStateException("operation " + operationId + " is bound twice");
    }
    return this;
  }

  /** Binds an operation whose body is read into the given record. */
  public <T> Operations bind(String operationId, Class<T> body, Function<T, Future<?>> service) {
    return bind(operationId, in -> service.apply(in.body(body)));
  }

  /** Binds an operation whose body is read into the given record and that reads parameters too. */
  public <T> Operations bind(
      String operationId, Class<T> body, BiFunction<T, OperationInput, Future<?>> service) {
    return bind(operationId, in -> service.apply(in.body(body), in));
  }

  Map<String, OperationHandler> handlers() {
    return Collections.unmodifiableMap(handlers);
  }
}
