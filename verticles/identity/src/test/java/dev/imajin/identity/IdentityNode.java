package dev.imajin.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imajin.contracts.Contracts;
import dev.imajin.contracts.ServiceId;
import dev.imajin.gpuboss.GpuBossVerticle;
import dev.imajin.runtime.ServiceClient;
import dev.imajin.runtime.ServiceContext;
import dev.imajin.runtime.testing.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * One node for the tests: an identity service deployed before its GPU Boss (so it waits for the
 * device list), both on free ports, on the test Redis (emptied first), with {@code models.roots} at
 * the repository's starter pack. The cpu device leases 1 GiB and runs two workers.
 */
final class IdentityNode implements AutoCloseable {
  static final long CPU_CAPACITY = 1L << 30;

  final Vertx vertx;
  final ServiceContext context;
  final GpuBossVerticle gpuBoss;
  final WebClient http;
  final ServiceClient bus;
  IdentityVerticle identity;
  private String deployment;
  private OpenAPIContract contract;

  private IdentityNode(Vertx vertx, ServiceContext context, GpuBossVerticle boss) {
    this.vertx = vertx;
    this.context = context;
    this.gpuBoss = boss;
    this.http = WebClient.create(vertx);
    this.bus = new ServiceClient(vertx, ServiceId.IDENTITY, 60_000);
  }

  /** Empties the test Redis, then deploys the services with these configuration overrides. */
  static IdentityNode start(String... overrides) {
    return start(true, overrides);
  }

  /** Another node on the same Redis (with its own GPU Boss), which keeps what is stored. */
  static IdentityNode join(String... overrides) {
    return start(false, overrides);
  }

  private static IdentityNode start(boolean flush, String... overrides) {
    Vertx vertx = Vertx.vertx();
    String node = "identity-test-" + UUID.randomUUID().toString().substring(0, 8);
    List<String> all = new ArrayList<>();
    all.add("node.name=" + node);
    all.add("gpu-boss.discovery=config");
    all.add("gpu-boss.cpu-capacity-bytes=" + CPU_CAPACITY);
    all.add("gpu-boss.cpu-pool-size=2");
    all.add("gpu-boss.sweep-interval-ms=100");
    all.add("models.roots=[" + Faces.models() + "]");
    all.addAll(List.of(overrides));
    ServiceContext context = TestNodes.context(vertx, all.toArray(String[]::new));
    if (flush) {
      context.redis().send(Request.cmd(Command.FLUSHDB)).await();
    }
    IdentityVerticle identity = new IdentityVerticle(context);
    String deployment = vertx.deployVerticle(identity).await();
    GpuBossVerticle boss = new GpuBossVerticle(context);
    vertx.deployVerticle(boss).await();
    IdentityNode started = new IdentityNode(vertx, context, boss);
    started.identity = identity;
    started.deployment = deployment;
    started.waitUntilReady();
    return started;
  }

  /** Undeploys the identity service and deploys a new instance on the same Redis. */
  void restart() {
    vertx.undeploy(deployment).await();
    identity = new IdentityVerticle(context);
    deployment = vertx.deployVerticle(identity).await();
    waitUntilReady();
  }

  private void waitUntilReady() {
    waitUntil(() -> get("/health/ready").statusCode() == 200, 10_000);
  }

  HttpResponse<Buffer> get(String path) {
    return http.get(identity.actualPort(), "localhost", path).send().await();
  }

  HttpResponse<Buffer> delete(String path) {
    return http.delete(identity.actualPort(), "localhost", path).send().await();
  }

  HttpResponse<Buffer> post(String path, JsonObject body) {
    return http.post(identity.actualPort(), "localhost", path).sendJsonObject(body).await();
  }

  /** Checks the response against the identity contract and returns its body. */
  JsonObject valid(String operationId, HttpResponse<Buffer> response) {
    if (contract == null) {
      contract = OpenAPIContract.from(vertx, Contracts.routable(ServiceId.IDENTITY)).await();
    }
    String type = response.getHeader("Content-Type");
    ResponseValidator.create(vertx, contract)
        .validate(
            ValidatableResponse.create(response.statusCode(), response.body(), type), operationId)
        .await();
    return response.bodyAsJsonObject();
  }

  /** The body of a valid response with this status. */
  JsonObject expect(String operationId, HttpResponse<Buffer> response, int status) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    JsonObject body = valid(operationId, response);
    if (status >= 400) {
      assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
    }
    return body;
  }

  void waitUntil(BooleanSupplier condition, long timeoutMs) {
    long end = System.currentTimeMillis() + timeoutMs;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > end) {
        throw new AssertionError("condition not met within " + timeoutMs + " ms");
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** Stops the identity service first, so its leases go back to a GPU Boss that still runs. */
  @Override
  public void close() {
    vertx.undeploy(deployment).await();
    vertx.close().await();
  }
}
