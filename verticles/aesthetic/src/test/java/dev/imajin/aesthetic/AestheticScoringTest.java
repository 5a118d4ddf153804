package dev.imajin.aesthetic;

import static dev.imajin.aesthetic.AestheticNode.ok;
import static dev.imajin.aesthetic.RewardFixtures.expectedReward;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.imajin.aesthetic.RewardFixtures.Shape;
import dev.imajin.contracts.Addresses;
import dev.imajin.contracts.aesthetic.ScoreRequest;
import dev.imajin.contracts.aesthetic.ScoreResult;
import dev.imajin.contracts.common.ImageData;
import dev.imajin.contracts.common.MediaType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rewards and rankings computed by real ONNX Runtime on tiny reward graphs, over HTTP and bus. */
class AestheticScoringTest {
  private static final double EPSILON = 1e-4;

  /** High contrast: black and white squares (normalised to -1 and 1, so contrast 1). */
  private static final BufferedImage SHARP = Pictures.checker(RewardFixtures.SIZE, 2, 0, 255);

  /** Low contrast: two close greys. */
  private static final BufferedImage SOFT = Pictures.checker(RewardFixtures.SIZE, 4, 96, 160);

  /** No contrast. */
  private static final BufferedImage FLAT = Pictures.flat(RewardFixtures.SIZE, 128);

  @TempDir static Path models;
  private static AestheticNode node;

  @BeforeAll
  static void start() throws IOException {
    RewardFixtures.write(models, "starter/reward", "starter/reward", Shape.DYNAMIC);
    RewardFixtures.write(models, "reward-fixed", "reward-fixed", Shape.BATCH_OF_ONE);
    node = AestheticNode.start(models);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private static JsonObject score(String prompt, BufferedImage image) {
    return new JsonObject().put("prompt", prompt).put("image", Pictures.inline(image));
  }

  private static JsonObject rank(String prompt, BufferedImage... candidates) {
    JsonArray list = new JsonArray();
    for (BufferedImage c : candidates) {
      list.add(Pictures.inline(c));
    }
    return new JsonObject().put("prompt", prompt).put("candidates", list);
  }

  @Test
  @DisplayName("scoreImage answers the reward the graph computes from contrast, words and the mask")
  void scoresFromImageAndPrompt() {
    JsonObject red = ok(node.checked("scoreImage", "/v1/score", score("a red circle", SHARP)));
    assertThat(red.getDouble("reward")).isCloseTo(expectedReward(SHARP, 3, 1), within(EPSILON));
    assertThat(red.getString("reward_model")).isEqualTo("starter/reward");
    assertThat(red.getLong("elapsed_ms")).isNotNegative();
    assertThat(red.containsKey("aesthetic")).as("no aesthetic predictor is built").isFalse();

    JsonObject blue = ok(node.checked("scoreImage", "/v1/score", score("a blue circle", SHARP)));
    assertThat(blue.getDouble("reward")).isCloseTo(expectedReward(SHARP, 3, 0), within(EPSILON));
    assertThat(red.getDouble("reward") - blue.getDouble("reward"))
        .as("the word 'red' adds RED_WEIGHT / REWARD_STD")
        .isCloseTo(RewardFixtures.RED_WEIGHT / RewardFixtures.REWARD_STD, within(EPSILON));

    JsonObject flat = ok(node.checked("scoreImage", "/v1/score", score("a blue circle", FLAT)));
    assertThat(flat.getDouble("reward")).isCloseTo(expectedReward(FLAT, 3, 0), within(EPSILON));
    assertThat(blue.getDouble("reward") - flat.getDouble("reward"))
        .as("contrast 1 against contrast 0")
        .isCloseTo(1 / RewardFixtures.REWARD_STD, within(EPSILON));
  }

  @Test
  @DisplayName("A long prompt is cut to the manifest's max_length, EOS kept, all of it in the mask")
  void truncatesToMaxLength() {
    String prompt = "a red circle on a blue background a red circle on a blue background";
    JsonObject body = ok(node.checked("scoreImage", "/v1/score", score(prompt, SHARP)));
    // 12 ids: BOS, the first 10 words (two of them "red"), EOS.
    assertThat(body.getDouble("reward")).isCloseTo(expectedReward(SHARP, 10, 2), within(EPSILON));
  }

  @Test
  @DisplayName("rankImages orders by reward, best first; ties keep the request's order")
  void ranksWithTies() {
    JsonObject body =
        ok(node.checked("rankImages", "/v1/rank", rank("a red star", FLAT, SHARP, SOFT, SHARP)));
    JsonArray ranking = body.getJsonArray("ranking");
    assertThat(indexes(ranking)).containsExactly(1, 3, 2, 0);
    assertThat(ranking.stream().map(o -> ((JsonObject) o).getInteger("rank")))
        .containsExactly(1, 2, 3, 4);
    assertThat(reward(ranking, 0)).isCloseTo(expectedReward(SHARP, 3, 1), within(EPSILON));
    assertThat(reward(ranking, 1)).isEqualTo(reward(ranking, 0));
    assertThat(reward(ranking, 2)).isCloseTo(expectedReward(SOFT, 3, 1), within(EPSILON));
    assertThat(reward(ranking, 3)).isCloseTo(expectedReward(FLAT, 3, 1), within(EPSILON));
    assertThat(body.getInteger("best_index")).isEqualTo(1);
    assertThat(body.getString("reward_model")).isEqualTo("starter/reward");
    assertThat(body.containsKey("passing")).as("no min_reward, no count").isFalse();
    assertThat(ranking.getJsonObject(0).containsKey("passed")).isFalse();

    JsonObject reversed =
        ok(node.checked("rankImages", "/v1/rank", rank("a red star", SHARP, SOFT, SHARP, FLAT)));
    assertThat(indexes(reversed.getJsonArray("ranking"))).containsExactly(0, 2, 1, 3);
  }

  @Test
  @DisplayName("With min_reward, each candidate says whether it passes and passing counts them")
  void minReward() {
    double between = (expectedReward(SOFT, 3, 0) + expectedReward(SHARP, 3, 0)) / 2;
    JsonObject body =
        ok(
            node.checked(
                "rankImages",
                "/v1/rank",
                rank("a blue star", SOFT, SHARP, FLAT).put("min_reward", between)));
    JsonArray ranking = body.getJsonArray("ranking");
    assertThat(indexes(ranking)).containsExactly(1, 0, 2);
    assertThat(ranking.stream().map(o -> ((JsonObject) o).getBoolean("passed")))
        .containsExactly(true, false, false);
    assertThat(body.getInteger("passing")).isEqualTo(1);

    JsonObject none =
        ok(node.checked("rankImages", "/v1/rank", rank("a blue star", FLAT).put("min_reward", 20)));
    assertThat(none.getInteger("passing")).isZero();
    assertThat(none.getInteger("best_index")).as("the best, passing or not").isZero();
  }

  @Test
  @DisplayName("A graph with its batch fixed at 1 runs the candidates one by one, same rewards")
  void fixedBatch() {
    JsonObject dynamic = ok(node.post("/v1/rank", rank("a red cat", SOFT, SHARP, FLAT)));
    JsonObject fixed =
        ok(
            node.checked(
                "rankImages",
                "/v1/rank",
                rank("a red cat", SOFT, SHARP, FLAT).put("model", "reward-fixed")));
    assertThat(fixed.getString("reward_model")).isEqualTo("reward-fixed");
    assertThat(indexes(fixed.getJsonArray("ranking"))).containsExactly(1, 0, 2);
    for (int i = 0; i < 3; i++) {
      assertThat(reward(fixed.getJsonArray("ranking"), i))
          .isCloseTo(reward(dynamic.getJsonArray("ranking"), i), within(EPSILON));
    }
  }

  @Test
  @DisplayName("Larger images are resized to the model's size first: fine detail averages out")
  void resizesLargerImages() {
    BufferedImage coarse = Pictures.checker(64, 8, 0, 255);
    BufferedImage fine = Pictures.checker(64, 1, 0, 255);
    JsonObject body = ok(node.post("/v1/rank", rank("a cat", fine, coarse)));
    JsonArray ranking = body.getJsonArray("ranking");
    assertThat(indexes(ranking)).containsExactly(1, 0);
    // Most of the contrast survives in 2-pixel blocks; single-pixel squares average to grey.
    assertThat(reward(ranking, 0) - reward(ranking, 1)).isGreaterThan(0.3);
    assertThat(reward(ranking, 1))
        .isCloseTo(expectedReward(Pictures.flat(RewardFixtures.SIZE, 128), 2, 0), within(0.02));
  }

  @Test
  @DisplayName("Over the event bus, with records and with JSON, the answers are the HTTP ones")
  void overTheBus() {
    double http = ok(node.post("/v1/score", score("a red circle", SOFT))).getDouble("reward");
    ScoreResult result =
        node.bus
            .call(
                "scoreImage",
                new ScoreRequest(
                    "a red circle", new ImageData(Pictures.png(SOFT), MediaType.PNG), null),
                ScoreResult.class,
                null)
            .await();
    assertThat(result.reward()).isEqualTo(http);
    assertThat(result.rewardModel()).isEqualTo("starter/reward");
    assertThat(result.aesthetic()).isNull();

    JsonObject ranked =
        (JsonObject)
            node.vertx
                .eventBus()
                .request(Addresses.Aesthetic.RANK_IMAGES, rank("a red circle", SOFT, SHARP))
                .await()
                .body();
    assertThat(indexes(ranked.getJsonArray("ranking"))).containsExactly(1, 0);
    assertThat(reward(ranked.getJsonArray("ranking"), 1)).isEqualTo(http);
  }

  @Test
  @DisplayName("info lists the loaded reward model with its device and hash, and what is built")
  void info() {
    ok(node.post("/v1/score", score("a cat", SHARP)));
    JsonObject info = ok(node.get("/v1/info"));
    JsonObject model =
        info.getJsonArray("models").stream()
            .map(o -> (JsonObject) o)
            .filter(m -> m.getString("id").equals("starter/reward"))
            .findFirst()
            .orElseThrow();
    assertThat(model.getString("task")).isEqualTo("image-reward");
    assertThat(model.getString("family")).isEqualTo("image-reward");
    assertThat(model.getString("device")).isEqualTo("cpu");
    assertThat(model.getString("sha256")).matches("[0-9a-f]{64}");
    assertThat(
            info.getJsonArray("operations").stream()
                .map(o -> (JsonObject) o)
                .filter(o -> o.getBoolean("built"))
                .map(o -> o.getString("operation_id")))
        .containsExactlyInAnyOrder("scoreImage", "rankImages", "info");
  }

  private static List<Integer> indexes(JsonArray ranking) {
    return IntStream.range(0, ranking.size())
        .mapToObj(i -> ranking.getJsonObject(i).getInteger("index"))
        .toList();
  }

  private static double reward(JsonArray ranking, int position) {
    return ranking.getJsonObject(position).getDouble("reward");
  }
}
