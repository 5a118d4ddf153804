package dev.imajin.semantic;

import static dev.imajin.semantic.SemanticNode.image;
import static dev.imajin.semantic.SemanticNode.ok;
import static dev.imajin.semantic.SemanticNode.png;
import static dev.imajin.semantic.SemanticNode.problem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imajin.runtime.ServiceContext;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up: no model installed, a model installed later, and no GPU Boss yet. */
class SemanticReadinessTest {
  @TempDir Path models;

  private static JsonObject request() {
    return new JsonObject()
        .put("image", image(png(Color.GREEN, 16, 16)))
        .put("present", new JsonArray().add("green"));
  }

  @Test
  @DisplayName(
      "With no semantic model installed the service is ready and answers 503 saying so, never a"
          + " score; a model installed later is found and used as the default")
  void noModelThenOne() throws Exception {
    Files.createDirectories(models);
    try (SemanticNode node = SemanticNode.start(models)) {
      HttpResponse<Buffer> none = node.post("/v1/validate", request());
      node.valid("validateImage", none);
      JsonObject problem = problem(none, 503);
      assertThat(problem.getString("service")).isEqualTo("semantic");
      assertThat(problem.getString("detail"))
          .contains("no semantic model is installed")
          .contains("image-text-similarity")
          .contains("(models.roots)");

      SemanticModels.write(models, "late/colours", SemanticModels.Spec.standard());
      node.waitUntil(() -> node.post("/v1/validate", request()).statusCode() == 200, 10_000);
      JsonObject verdict = node.checked("validateImage", "/v1/validate", request());
      // semantic.default-model (starter/semantic) is not installed: the only model answers.
      assertThat(verdict.getString("model")).isEqualTo("late/colours");
      assertThat(verdict.getBoolean("passed")).isTrue();
    }
  }

  @Test
  @DisplayName(
      "Without a GPU Boss the service is not ready and requests answer 503 with a retry hint")
  void waitsForTheGpuBoss() {
    SemanticModels.write(models, "test/colours", SemanticModels.Spec.standard());
    Vertx vertx = Vertx.vertx();
    try {
      ServiceContext context = SemanticNode.context(vertx, models);
      SemanticVerticle semantic = new SemanticVerticle(context);
      vertx.deployVerticle(semantic).await();
      WebClient http = WebClient.create(vertx);
      int port = semantic.actualPort();
      HttpResponse<Buffer> ready = http.get(port, "localhost", "/health/ready").send().await();
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.bodyAsJsonObject().getJsonObject("checks").getString("devices"))
          .startsWith("DOWN");
      HttpResponse<Buffer> refused =
          http.post(port, "localhost", "/v1/validate").sendJsonObject(request()).await();
      JsonObject problem = problem(refused, 503);
      assertThat(problem.getString("detail")).contains("GPU Boss has not listed");
      assertThat(problem.getInteger("retry_after_seconds")).isEqualTo(1);
      assertThat(refused.getHeader("Retry-After")).isEqualTo("1");
      JsonObject info = ok(http.get(port, "localhost", "/v1/info").send().await());
      assertThat(info.getJsonArray("models")).isEmpty();
    } finally {
      vertx.close().await();
    }
  }
}
