package dev.imajin.runtime.impl;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Liveness (the process answers) and readiness (every check of the service passes: models loaded,
 * downstreams reachable). Each check has {@link #CHECK_TIMEOUT_MS} to answer.
 */
public final class Health {
  static final long CHECK_TIMEOUT_MS = 2_000;
  private final String service;
  private final Map<String, Supplier<Future<?>>> checks;

  public Health(String service, Map<String, Supplier<Future<?>>> checks) {
    this.service = service;
    this.checks = Map.copyOf(checks);
  }

  void live(HttpServerResponse response) {
    response
        .putHeader("Content-Type", Responses.JSON)
        .end(new JsonObject().put("status", "UP").put("service", service).toBuffer());
  }

  void ready(HttpServerResponse response) {
    JsonObject results = new JsonObject();
    List<Future<?>> pending = new ArrayList<>();
    checks.forEach(
        (name, check) ->
            pending.add(
                run(check)
                    .onComplete(
                        r ->
                            results.put(
                                name, r.succeeded() ? "UP" : "DOWN: " + r.cause().getMessage()))));
    Future.join(pending)
        .onComplete(
            all -> {
              boolean up = all.succeeded();
              response
                  .setStatusCode(up ? 200 : 503)
                  .putHeader("Content-Type", Responses.JSON)
                  .end(
                      new JsonObject()
                          .put("status", up ? "UP" : "DOWN")
                          .put("service", service)
                          .put("checks", results)
                          .toBuffer());
            });
  }

  private static Future<?> run(Supplier<Future<?>> check) {
    try {
      return check.get().timeout(CHECK_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
