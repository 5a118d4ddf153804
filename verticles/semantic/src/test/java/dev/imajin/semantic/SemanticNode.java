package dev.imajin.semantic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imajin.contracts.Contracts;
import dev.imajin.contracts.ServiceId;
import dev.imajin.gpuboss.GpuBossVerticle;
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
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import javax.imageio.ImageIO;

/**
 * One node for the tests: a semantic service deployed before its GPU Boss (so it waits for the
 * device list), both on free ports, on the test Redis, with {@code models.roots} at a folder of
 * {@link SemanticModels}. The cpu device leases 1 GiB and runs two workers.
 */
final class SemanticNode implements AutoCloseable {
  static final long CPU_CAPACITY = 1L << 30;

  final Vertx vertx;
  final SemanticVerticle semantic;
  final WebClient http;
  private final String deployment;
  private OpenAPIContract contract;

  private SemanticNode(Vertx vertx, SemanticVerticle semantic, String deployment) {
    this.vertx = vertx;
    this.semantic = semantic;
    this.deployment = deployment;
    this.http = WebClient.create(vertx);
  }

  /** The node's configuration overrides, then {@code overrides}. */
  static ServiceContext context(Vertx vertx, Path modelsRoot, String... overrides) {
    List<String> all = new ArrayList<>();
    all.add("node.name=semantic-test-" + UUID.randomUUID().toString().substring(0, 8));
    all.add("gpu-boss.discovery=config");
    all.add("gpu-boss.cpu-capacity-bytes=" + CPU_CAPACITY);
    all.add("gpu-boss.cpu-pool-size=2");
    all.add("gpu-boss.sweep-interval-ms=100");
    all.add("models.roots=[" + modelsRoot + "]");
    all.addAll(List.of(overrides));
    return TestNodes.context(vertx, all.toArray(String[]::new));
  }

  /** Deploys the semantic service, then the GPU Boss, and waits until the service is ready. */
  static SemanticNode start(Path modelsRoot, String... overrides) {
    Vertx vertx = Vertx.vertx();
    ServiceContext context = context(vertx, modelsRoot, overrides);
    SemanticVerticle semantic = new SemanticVerticle(context);
    String deployment = vertx.deployVerticle(semantic).await();
    vertx.deployVerticle(new GpuBossVerticle(context)).await();
    SemanticNode node = new SemanticNode(vertx, semantic, deployment);
    node.waitUntil(() -> node.get("/health/ready").statusCode() == 200, 10_000);
    return node;
  }

  HttpResponse<Buffer> get(String path) {
    return http.get(semantic.actualPort(), "localhost", path).send().await();
  }

  HttpResponse<Buffer> post(String path, JsonObject body) {
    return http.post(semantic.actualPort(), "localhost", path).sendJsonObject(body).await();
  }

  /** Posts, checks the response against the semantic contract and returns its body. */
  JsonObject checked(String operationId, String path, JsonObject body) {
    return valid(operationId, post(path, body));
  }

  /** Checks the response against the semantic contract and returns its body. */
  JsonObject valid(String operationId, HttpResponse<Buffer> response) {
    if (contract == null) {
      contract = OpenAPIContract.from(vertx, Contracts.routable(ServiceId.SEMANTIC)).await();
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

  /** A PNG of one colour. */
  static String png(Color colour, int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(colour);
    g.fillRect(0, 0, width, height);
    g.dispose();
    return encode(image, "png");
  }

  static String encode(BufferedImage image, String format) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(image, format, out);
      return Base64.getEncoder().encodeToString(out.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonObject image(String b64) {
    return new JsonObject().put("b64", b64);
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

  /** Stops the semantic service first, so its leases go back to a GPU Boss that still runs. */
  @Override
  public void close() {
    vertx.undeploy(deployment).await();
    vertx.close().await();
  }
}
