package dev.imajin.aesthetic;

import static dev.imajin.aesthetic.AestheticNode.ok;
import static dev.imajin.aesthetic.AestheticNode.problem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imajin.aesthetic.RewardFixtures.Shape;
import dev.imajin.contracts.ErrorType;
import dev.imajin.inference.model.ModelCatalog;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which model a request without one gets, and what happens when there is none. */
class AestheticDefaultModelTest {
  @TempDir Path models;

  private static JsonObject score() {
    return new JsonObject()
        .put("prompt", "a red circle")
        .put("image", Pictures.inline(Pictures.checker(RewardFixtures.SIZE, 2, 0, 255)));
  }

  @Test
  @DisplayName("With no image-reward model installed: ready, and a 503 that says so, never a score")
  void noModelInstalled() throws Exception {
    RewardFixtures.writeClassifier(models, "classifier");
    try (AestheticNode node = AestheticNode.start(models)) {
      assertThat(node.get("/health/ready").statusCode()).isEqualTo(200);
      JsonObject none = problem(node.checked("scoreImage", "/v1/score", score()), 503);
      assertThat(none.getString("type")).isEqualTo(ErrorType.UNAVAILABLE.uri());
      assertThat(none.getString("detail"))
          .startsWith("Service 'aesthetic' is unavailable: no image-reward model is installed")
          .contains(models.toString())
          .contains("models.roots")
          .contains("aesthetic.reward-model names 'starter/reward'");

      // A model added while the service runs is found once the catalog may rescan.
      RewardFixtures.write(models, "starter/reward", "starter/reward", Shape.DYNAMIC);
      Thread.sleep(ModelCatalog.RESCAN_MIN_INTERVAL_MS + 100);
      JsonObject found = ok(node.checked("scoreImage", "/v1/score", score()));
      assertThat(found.getString("reward_model")).isEqualTo("starter/reward");
    }
  }

  @Test
  @DisplayName("When aesthetic.reward-model is not installed, the first image-reward model by id")
  void fallsBackToFirst() throws IOException {
    RewardFixtures.write(models, "b-reward", "b-reward", Shape.DYNAMIC);
    RewardFixtures.write(models, "a-reward", "a-reward", Shape.BATCH_OF_ONE);
    try (AestheticNode node = AestheticNode.start(models)) {
      assertThat(ok(node.post("/v1/score", score())).getString("reward_model"))
          .isEqualTo("a-reward");
    }
  }

  @Test
  @DisplayName("aesthetic.reward-model picks the default among several; a request may name another")
  void configuredDefault() throws IOException {
    RewardFixtures.write(models, "b-reward", "b-reward", Shape.DYNAMIC);
    RewardFixtures.write(models, "a-reward", "a-reward", Shape.BATCH_OF_ONE);
    try (AestheticNode node = AestheticNode.start(models, "aesthetic.reward-model=b-reward")) {
      assertThat(ok(node.post("/v1/score", score())).getString("reward_model"))
          .isEqualTo("b-reward");
      assertThat(
              ok(node.post("/v1/score", score().put("model", "a-reward")))
                  .getString("reward_model"))
          .isEqualTo("a-reward");
    }
  }

  @Test
  @DisplayName(
      "Beyond aesthetic.max-queued requests in progress: 503 with Retry-After, then served")
  void maxQueued() throws IOException {
    RewardFixtures.write(models, "starter/reward", "starter/reward", Shape.DYNAMIC);
    try (AestheticNode node = AestheticNode.start(models, "aesthetic.max-queued=1")) {
      JsonArray candidates = new JsonArray();
      for (int i = 0; i < 16; i++) {
        candidates.add(Pictures.inline(Pictures.checker(512, 1 + i, 0, 255)));
      }
      JsonObject body = new JsonObject().put("prompt", "a cat").put("candidates", candidates);
      List<HttpResponse<Buffer>> answers =
          Future.all(
                  IntStream.range(0, 6)
                      .mapToObj(
                          i ->
                              node.http
                                  .post(node.aesthetic.actualPort(), "localhost", "/v1/rank")
                                  .sendJsonObject(body))
                      .toList())
              .await()
              .list();
      List<Integer> statuses = answers.stream().map(HttpResponse::statusCode).toList();
      assertThat(statuses).contains(200, 503).containsOnly(200, 503);
      HttpResponse<Buffer> refused =
          answers.stream().filter(r -> r.statusCode() == 503).findFirst().orElseThrow();
      assertThat(refused.getHeader("Retry-After")).isEqualTo("1");
      assertThat(refused.bodyAsJsonObject().getString("detail"))
          .contains("1 requests are in progress (aesthetic.max-queued)");
      assertThat(node.post("/v1/rank", body).statusCode()).isEqualTo(200);
    }
  }
}
