package dev.imajin.aesthetic;

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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * One node for the tests: an aesthetic service deployed before its GPU Boss (so it waits for the
 * device list), both on free ports, on the test Redis, with {@code models.roots} at a folder of
 * tiny reward models. The cpu device leases 1 GiB and runs two workers.
 */
final class AestheticNode implements AutoCloseable {
  static final long CPU_CAPACITY = 1L << 30;

  final Vertx vertx;
  final String node;
  final AestheticVerticle aesthetic;
  final GpuBossVerticle gpuBoss;
  final WebClient http;
  final ServiceClient bus;
  private final String deployment;
  private OpenAPIContract contract;

  private AestheticNode(
      Vertx vertx, String node, AestheticVerticle aesthetic, String deployment, GpuBossVerticle b) {
    this.vertx = vertx;
    this.node = node;
    this.aesthetic = aesthetic;
    this.deployment = deployment;
    this.gpuBoss = b;
    this.http = WebClient.create(vertx);
    this.bus = new ServiceClient(vertx, ServiceId.AESTHETIC, 30_000);
  }

  /** Deploys the services with these configuration overrides (after the node's own). */
  static AestheticNode start(Path modelsRoot, String... overrides) {
    Vertx vertx = Vertx.vertx();
    String node = "aesthetic-test-" + UUID.randomUUID().toString().substring(0, 8);
    List<String> all = new ArrayList<>();
    all.add("node.name=" + node);
    all.add("gpu-boss.discovery=config");
    all.add("gpu-boss.cpu-capacity-bytes=" + CPU_CAPACITY);
    all.add("gpu-boss.cpu-pool-size=2");
    all.add("gpu-boss.sweep-interval-ms=100");
    all.add("models.roots=[" + modelsRoot + "]");
    all.addAll(List.of(overrides));
    ServiceContext context = TestNodes.context(vertx, all.toArray(String[]::new));
    AestheticVerticle aesthetic = new AestheticVerticle(context);
    String deployment = vertx.deployVerticle(aesthetic).await();
    GpuBossVerticle boss = new GpuBossVerticle(context);
    vertx.deployVerticle(boss).await();
    AestheticNode started = new AestheticNode(vertx, node, aesthetic, deployment, boss);
    started.waitUntil(() -> started.get("/health/ready").statusCode() == 200, 10_000);
    return started;
  }

  HttpResponse<Buffer> get(String path) {
    return http.get(aesthetic.actualPort(), "localhost", path).send().await();
  }

  HttpResponse<Buffer> post(String path, JsonObject body) {
    return http.post(aesthetic.actualPort(), "localhost", path).sendJsonObject(body).await();
  }

  /** Posts, and checks the response against the aesthetic contract. */
  HttpResponse<Buffer> checked(String operationId, String path, JsonObject body) {
    HttpResponse<Buffer> response = post(path, body);
    valid(operationId, response);
    return response;
  }

  /** Checks the response against the aesthetic contract and returns its body. */
  JsonObject valid(String operationId, HttpResponse<Buffer> response) {
    if (contract == null) {
      contract = OpenAPIContract.from(vertx, Contracts.routable(ServiceId.AESTHETIC)).await();
    }
    String type = response.getHeader("Content-Type");
    ResponseValidator.create(vertx, contract)
        .validate(
            ValidatableResponse.create(response.statusCode(), response.body(), type), operationId)
        .await();
    return response.bodyAsJsonObject();
  }

  static JsonObject ok(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  static JsonObject problem(HttpResponse<Buffer> response, int status) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
    return response.bodyAsJsonObject();
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

  /** Stops the aesthetic service first, so its leases go back to a GPU Boss that still runs. */
  @Override
  public void close() {
    vertx.undeploy(deployment).await();
    vertx.close().await();
  }
}
