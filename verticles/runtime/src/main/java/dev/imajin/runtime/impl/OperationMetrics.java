package dev.imajin.runtime.impl;

import dev.imajin.contracts.ServiceId;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;

/** Times every operation call, tagged by service, operation, transport and outcome. */
public final class OperationMetrics {
  private final ServiceId service;
  private final MeterRegistry registry;

  public OperationMetrics(ServiceId service, MeterRegistry registry) {
    this.service = service;
    this.registry = registry;
  }

  <T> Future<T> time(String operationId, String transport, Future<T> call) {
    Timer.Sample sample = Timer.start(registry);
    return call.andThen(
        result ->
            sample.stop(
                Timer.builder("imajin.operation")
                    .description("Operation calls served, by outcome")
                    .tag("service", service.id())
                    .tag("operation", operationId)
                    .tag("transport", transport)
                    .tag(
                        "outcome",
                        result.succeeded()
                            ? "ok"
                            : String.valueOf(ErrorMapper.toImajin(result.cause()).status()))
                    .register(registry)));
  }
}
