package dev.imajin.aesthetic;

import static dev.imajin.aesthetic.AestheticNode.problem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imajin.aesthetic.RewardFixtures.Shape;
import dev.imajin.contracts.ErrorType;
import dev.imajin.contracts.ImajinException;
import dev.imajin.contracts.aesthetic.RankRequest;
import dev.imajin.contracts.aesthetic.RankResult;
import dev.imajin.contracts.common.ImageData;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad inputs, unusable models and failing graphs: each a problem that says what and where. */
class AestheticProblemsTest {
  private static final BufferedImage IMAGE = Pictures.checker(RewardFixtures.SIZE, 2, 0, 255);
  private static final long MAX_PIXELS = 10_000;

  @TempDir static Path models;
  private static AestheticNode node;

  @BeforeAll
  static void start() throws IOException {
    RewardFixtures.write(models, "starter/reward", "starter/reward", Shape.DYNAMIC);
    RewardFixtures.writeClassifier(models, "classifier");
    // The graph fixes 16x16 images, the manifest asks for 32x32.
    RewardFixtures.write(
        models,
        "wrong-size",
        "wrong-size",
        Shape.BATCH_OF_ONE,
        false,
        RewardFixtures.manifestPreprocess(32));
    // log(contrast): a flat image scores -infinity.
    RewardFixtures.write(
        models,
        "log-reward",
        "log-reward",
        Shape.DYNAMIC,
        true,
        RewardFixtures.manifestPreprocess(RewardFixtures.SIZE));
    node = AestheticNode.start(models, "aesthetic.max-input-pixels=" + MAX_PIXELS);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private static JsonObject score(JsonObject image) {
    return new JsonObject().put("prompt", "a red star").put("image", image);
  }

  private static JsonObject rank(JsonObject... candidates) {
    return new JsonObject()
        .put("prompt", "a red star")
        .put("candidates", new JsonArray(List.of((Object[]) candidates)));
  }

  private static JsonObject b64(String text) {
    return new JsonObject().put("b64", text);
  }

  private static JsonObject expect(String operationId, String path, JsonObject body, int status) {
    JsonObject problem = problem(node.checked(operationId, path, body), status);
    assertThat(problem.getInteger("status")).isEqualTo(status);
    return problem;
  }

  @Test
  @DisplayName("A body that does not match the contract is a 400 naming the field")
  void validation() {
    JsonObject missing =
        expect(
            "scoreImage", "/v1/score", new JsonObject().put("image", Pictures.inline(IMAGE)), 400);
    assertThat(missing.getString("type")).isEqualTo(ErrorType.VALIDATION.uri());
    assertThat(missing.encode()).contains("prompt");
    JsonObject none = expect("rankImages", "/v1/rank", rank(), 400);
    assertThat(none.encode()).contains("candidates");
    JsonObject tooLow =
        expect("rankImages", "/v1/rank", rank(Pictures.inline(IMAGE)).put("min_reward", -21), 400);
    assertThat(tooLow.encode()).contains("min_reward");
  }

  @Test
  @DisplayName("Invalid base64 is a 400 naming the field, with the candidate's index")
  void badBase64() {
    JsonObject scored = expect("scoreImage", "/v1/score", score(b64("@@@ not base64")), 400);
    assertThat(scored.getString("detail")).startsWith("image.b64 is not valid base64");
    JsonObject ranked =
        expect("rankImages", "/v1/rank", rank(Pictures.inline(IMAGE), b64("@@@ not base64")), 400);
    assertThat(ranked.getString("detail")).startsWith("candidates[1].b64 is not valid base64");
  }

  @Test
  @DisplayName("Bytes that are no image, a truncated file or a wrong media type are 422s naming it")
  void undecodable() {
    String noise = Base64.getEncoder().encodeToString("this is not an image".getBytes());
    JsonObject scored = expect("scoreImage", "/v1/score", score(b64(noise)), 422);
    assertThat(scored.getString("type")).isEqualTo(ErrorType.UNPROCESSABLE.uri());
    assertThat(scored.getString("detail")).startsWith("image: ");

    byte[] png = Base64.getDecoder().decode(Pictures.png(IMAGE));
    String truncated =
        Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(png, png.length / 2));
    JsonObject cut =
        expect(
            "rankImages",
            "/v1/rank",
            rank(Pictures.inline(IMAGE), Pictures.inline(IMAGE), b64(truncated)),
            422);
    assertThat(cut.getString("detail")).startsWith("candidates[2]: ");

    JsonObject mislabelled =
        expect(
            "rankImages",
            "/v1/rank",
            rank(Pictures.inline(IMAGE), Pictures.inline(IMAGE).put("media_type", "image/jpeg")),
            422);
    assertThat(mislabelled.getString("detail"))
        .startsWith("candidates[1].media_type says image/jpeg, but the bytes are PNG");
  }

  @Test
  @DisplayName("An image declaring more pixels than aesthetic.max-input-pixels is a 413 naming it")
  void tooManyPixels() {
    JsonObject big =
        expect("scoreImage", "/v1/score", score(Pictures.inline(Pictures.flat(101, 9))), 413);
    assertThat(big.getString("detail"))
        .startsWith("image: ")
        .contains("10201 pixels")
        .endsWith("(aesthetic.max-input-pixels)");
  }

  @Test
  @DisplayName("A model that does not exist, or is not an image-reward model, is a 422 naming it")
  void unknownModels() {
    JsonObject unknown =
        expect(
            "scoreImage",
            "/v1/score",
            score(Pictures.inline(IMAGE)).put("model", "no-such-reward"),
            422);
    assertThat(unknown.getString("detail"))
        .contains("model 'no-such-reward' does not exist")
        .contains("models.roots")
        .contains("starter/reward");
    JsonObject wrongTask =
        expect(
            "rankImages", "/v1/rank", rank(Pictures.inline(IMAGE)).put("model", "classifier"), 422);
    assertThat(wrongTask.getString("detail"))
        .isEqualTo("model 'classifier' is a image-classification model, not image-reward");
  }

  @Test
  @DisplayName("A graph that does not fit its manifest is a 422 naming the file and the size")
  void graphDoesNotFit() {
    JsonObject wrong =
        expect(
            "scoreImage",
            "/v1/score",
            score(Pictures.inline(IMAGE)).put("model", "wrong-size"),
            422);
    assertThat(wrong.getString("detail"))
        .contains("reward.onnx")
        .contains("pixel_values is fixed at height 16")
        .contains("gives 32");
    JsonObject info = node.valid("info", node.get("/v1/info"));
    assertThat(info.getJsonArray("models").encode()).doesNotContain("wrong-size");
  }

  @Test
  @DisplayName("A model that fails at run time is a 500 naming the service and the model")
  void runtimeFailure() {
    JsonObject failed =
        expect(
            "scoreImage",
            "/v1/score",
            score(Pictures.inline(Pictures.flat(RewardFixtures.SIZE, 128)))
                .put("model", "log-reward"),
            500);
    assertThat(failed.getString("type")).isEqualTo(ErrorType.INTERNAL.uri());
    assertThat(failed.getString("service")).isEqualTo("aesthetic");
    assertThat(failed.getString("detail"))
        .startsWith("Service 'aesthetic' failed: reward model 'log-reward' did not run")
        .contains("non-finite score");
    // The same model scores an image with contrast.
    assertThat(
            node.post("/v1/score", score(Pictures.inline(IMAGE)).put("model", "log-reward"))
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  @DisplayName("Over the bus, the same problems arrive as ImajinExceptions")
  void overTheBus() {
    assertThatThrownBy(
            () ->
                node.bus
                    .call(
                        "rankImages",
                        new RankRequest(
                            "a red star",
                            List.of(
                                new ImageData(Pictures.png(IMAGE), null),
                                new ImageData("@@@", null)),
                            null,
                            null),
                        RankResult.class,
                        null)
                    .await())
        .isInstanceOfSatisfying(
            ImajinException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.getMessage()).startsWith("candidates[1].b64 is not valid base64");
            });
    assertThatThrownBy(
            () ->
                node.bus
                    .call(
                        "rankImages",
                        new RankRequest(
                            "a red star",
                            List.of(new ImageData(Pictures.png(IMAGE), null)),
                            null,
                            "classifier"),
                        RankResult.class,
                        null)
                    .await())
        .isInstanceOfSatisfying(ImajinException.class, e -> assertThat(e.status()).isEqualTo(422));
  }
}
