package dev.imajin.diffusion;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imajin.contracts.Contracts;
import dev.imajin.contracts.ServiceId;
import dev.imajin.gpuboss.GpuBossVerticle;
import dev.imajin.inference.testing.SdPipelineFolder;
import dev.imajin.inference.testing.SdVariant;
import dev.imajin.inference.testing.TokenizerFiles;
import dev.imajin.inference.testing.TokenizerFixtures;
import dev.imajin.inference.testing.TokenizerFixtures.Form;
import dev.imajin.inference.testing.TokenizerFixtures.Pad;
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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * One node for the tests: a diffusion service deployed before its GPU Boss (so it has to wait for
 * the device list), both on free ports, on the test Redis, with {@code models.roots} at a folder of
 * tiny Stable Diffusion exports written by the inference test fixtures. The cpu device leases 1 GiB
 * and runs two workers.
 */
final class DiffusionNode implements AutoCloseable {
  static final long CPU_CAPACITY = 1L << 30;

  final Vertx vertx;
  final String node;
  final DiffusionVerticle diffusion;
  final GpuBossVerticle gpuBoss;
  final WebClient http;
  private OpenAPIContract contract;

  private final String deployment;

  private DiffusionNode(
      Vertx vertx,
      String node,
      DiffusionVerticle diffusion,
      String deployment,
      GpuBossVerticle boss) {
    this.vertx = vertx;
    this.node = node;
    this.diffusion = diffusion;
    this.deployment = deployment;
    this.gpuBoss = boss;
    this.http = WebClient.create(vertx);
  }

  /** CLIP tokenizers as each family ships them: SD 2 and SDXL's second with the {@code !} pad. */
  static final TokenizerFiles CLIP =
      (dir, family, index) ->
          TokenizerFixtures.writeClip(
              dir,
              Form.TOKENIZER_JSON,
              family == SdVariant.Family.SD21 || family == SdVariant.Family.SD_TURBO || index == 2
                  ? Pad.EXCLAMATION
                  : Pad.END_OF_TEXT);

  /** Writes a pipeline folder {@code root/id}. */
  static Path model(Path root, String id, SdVariant variant) throws IOException {
    return SdPipelineFolder.write(root.resolve(id), variant, CLIP).root();
  }

  /** Deploys the services with these configuration overrides (after the node's own). */
  static DiffusionNode start(Path modelsRoot, String... overrides) {
    Vertx vertx = Vertx.vertx();
    String node = "diffusion-test-" + UUID.randomUUID().toString().substring(0, 8);
    List<String> all = new ArrayList<>();
    all.add("node.name=" + node);
    all.add("gpu-boss.discovery=config");
    all.add("gpu-boss.cpu-capacity-bytes=" + CPU_CAPACITY);
    all.add("gpu-boss.cpu-pool-size=2");
    all.add("gpu-boss.sweep-interval-ms=100");
    all.add("models.roots=[" + modelsRoot + "]");
    all.addAll(List.of(overrides));
    ServiceContext context = TestNodes.context(vertx, all.toArray(String[]::new));
    DiffusionVerticle diffusion = new DiffusionVerticle(context);
    String deployment = vertx.deployVerticle(diffusion).await();
    GpuBossVerticle boss = new GpuBossVerticle(context);
    vertx.deployVerticle(boss).await();
    DiffusionNode started = new DiffusionNode(vertx, node, diffusion, deployment, boss);
    started.waitUntil(() -> started.get("/health/ready").statusCode() == 200, 10_000);
    return started;
  }

  String holder() {
    return "diffusion@" + node;
  }

  HttpResponse<Buffer> get(String path) {
    return http.get(diffusion.actualPort(), "localhost", path).send().await();
  }

  HttpResponse<Buffer> post(String path, JsonObject body) {
    var request = http.post(diffusion.actualPort(), "localhost", path);
    return (body == null ? request.send() : request.sendJsonObject(body)).await();
  }

  HttpResponse<Buffer> gpuBoss(String path) {
    return http.get(gpuBoss.actualPort(), "localhost", path).send().await();
  }

  /** Posts, and checks the response against the diffusion contract. */
  HttpResponse<Buffer> checked(String operationId, String path, JsonObject body) {
    return checked(operationId, post(path, body));
  }

  /** Checks the response against the diffusion contract. */
  HttpResponse<Buffer> checked(String operationId, HttpResponse<Buffer> response) {
    valid(operationId, response);
    return response;
  }

  /** Checks the response against the diffusion contract and returns its body. */
  JsonObject valid(String operationId, HttpResponse<Buffer> response) {
    if (contract == null) {
      contract = OpenAPIContract.from(vertx, Contracts.routable(ServiceId.DIFFUSION)).await();
    }
    String type = response.getHeader("Content-Type");
    ResponseValidator.create(vertx, contract)
        .validate(
            ValidatableResponse.create(response.statusCode(), response.body(), type), operationId)
        .await();
    return response.bodyAsJsonObject();
  }

  static JsonObject ok(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isBetween(200, 202);
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

  static void corrupt(Path file) throws IOException {
    Files.writeString(file, "this is not an ONNX model");
  }

  /** Stops the diffusion service first, so its leases go back to a GPU Boss that still runs. */
  @Override
  public void close() {
    vertx.undeploy(deployment).await();
    vertx.close().await();
  }
}
