package dev.imajin.runtime;

import io.vertx.core.Future;

/**
 * Serves one operation. Called on an event loop; it must not block (blocking work goes to a worker
 * pool). Fails its future with an {@link dev.imajin.contracts.ImajinException} for errors a caller
 * should see; any other failure is answered as a 500 problem.
 */
@FunctionalInterface
public interface OperationHandler {
  /** Returns the response body: a record of the contract, or a {@code JsonObject}. */
  Future<?> handle(OperationInput input);
}
