package dev.imajin.diffusion;

import static dev.imajin.diffusion.DiffusionNode.ok;
import static dev.imajin.diffusion.DiffusionNode.problem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imajin.gpuboss.GpuBossVerticle;
import dev.imajin.inference.testing.SdVariant;
import dev.imajin.runtime.ServiceContext;
import dev.imajin.runtime.testing.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up: the service serves its models at once and is ready once the GPU Boss answers. */
class DiffusionReadinessTest {
  @TempDir Path models;
  private Vertx vertx;

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  @DisplayName(
      "Without a GPU Boss the service lists models, refuses loads with 503, and is not ready")
  void waitsForTheGpuBoss() throws Exception {
    DiffusionNode.model(models, "sd15", SdVariant.optimum1_24(SdVariant.Family.SD15));
    Files.createDirectories(models.resolve("empty-folder"));
    vertx = Vertx.vertx();
    ServiceContext context =
        TestNodes.context(
            vertx,
            "node.name=ready-" + UUID.randomUUID(),
            "gpu-boss.discovery=config",
            "gpu-boss.cpu-capacity-bytes=" + DiffusionNode.CPU_CAPACITY,
            "models.roots=[" + models + ", " + models.resolve("missing") + "]");
    DiffusionVerticle diffusion = new DiffusionVerticle(context);
    vertx.deployVerticle(diffusion).await();
    WebClient http = WebClient.create(vertx);
    int port = diffusion.actualPort();

    HttpResponse<Buffer> ready = http.get(port, "localhost", "/health/ready").send().await();
    assertThat(ready.statusCode()).isEqualTo(503);
    JsonObject checks = ready.bodyAsJsonObject().getJsonObject("checks");
    assertThat(checks.getString("devices")).startsWith("DOWN");
    assertThat(checks.getString("service:gpu-boss")).startsWith("DOWN");
    assertThat(ok(http.get(port, "localhost", "/v1/models").send().await()).getJsonArray("models"))
        .hasSize(1);
    HttpResponse<Buffer> load = http.post(port, "localhost", "/v1/models/sd15/load").send().await();
    assertThat(problem(load, 503).getString("detail")).contains("GPU Boss");
    assertThat(load.getHeader("Retry-After")).isEqualTo("1");

    vertx.deployVerticle(new GpuBossVerticle(context)).await();
    long end = System.currentTimeMillis() + 10_000;
    while (http.get(port, "localhost", "/health/ready").send().await().statusCode() != 200) {
      assertThat(System.currentTimeMillis()).as("ready in time").isLessThan(end);
      Thread.sleep(100);
    }
    assertThat(
            ok(http.post(port, "localhost", "/v1/models/sd15/load").send().await())
                .getString("state"))
        .isEqualTo("loaded");
  }
}
