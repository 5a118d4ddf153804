package dev.imajin.semantic;

import static dev.imajin.semantic.SemanticModels.logit;
import static dev.imajin.semantic.SemanticModels.sigmoid;
import static dev.imajin.semantic.SemanticNode.image;
import static dev.imajin.semantic.SemanticNode.ok;
import static dev.imajin.semantic.SemanticNode.png;
import static dev.imajin.semantic.SemanticNode.problem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.imajin.contracts.ErrorType;
import dev.imajin.contracts.ImajinException;
import dev.imajin.contracts.ServiceId;
import dev.imajin.contracts.common.ImageData;
import dev.imajin.contracts.semantic.ConceptScore;
import dev.imajin.contracts.semantic.ScoreRequest;
import dev.imajin.contracts.semantic.ScoreResult;
import dev.imajin.contracts.semantic.TextScore;
import dev.imajin.contracts.semantic.ValidationRequest;
import dev.imajin.contracts.semantic.ValidationResult;
import dev.imajin.runtime.ServiceClient;
import dev.imajin.semantic.SemanticModels.Spec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.awt.Color;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real scores from tiny dual encoders, over HTTP and the bus, and every refusal. */
class SemanticScoringTest {
  private static final int[] RED = {255, 0, 0};
  private static final double EPS = 1e-4;

  @TempDir static Path models;
  private static SemanticNode node;
  private static String red;

  @BeforeAll
  static void start() {
    Spec standard = Spec.standard();
    SemanticModels.write(models, "test/colours", standard);
    // Fixed shapes, an attention mask, and "red" as the pad id: only the mask keeps the padding
    // out of the text embedding, so this model scores exactly as test/colours does.
    SemanticModels.write(
        models,
        "test/declared",
        standard
            .withFixedImageSize()
            .withTextLength(16)
            .withAttentionMask()
            .withPreprocessExtra(
                "  max_length: 16\n  pad_token_id: "
                    + SemanticModels.VOCAB.wordId("red")
                    + "\n  template: \"a picture of {}\"\n"));
    // No mask, 4 ids, "red" as the pad id: the padding counts, and long texts are cut.
    SemanticModels.write(
        models,
        "test/red-pad",
        standard.withPreprocessExtra(
            "  max_length: 4\n  pad_token_id: " + SemanticModels.VOCAB.wordId("red") + "\n"));
    // A SigLIP-like tokenizer.json: its own normaliser, </s> closing, <pad> from its padding.
    SemanticModels.write(
        models,
        "test/json-tokenizer",
        standard
            .withJsonTokenizer()
            .withAttentionMask()
            .withPreprocessExtra(
                "  tokenizer_format: json\n  max_length: 16\n  template: \"a picture of {}\"\n"));
    SemanticModels.write(models, "test/no-scale", standard.withPostprocess(""));
    SemanticModels.write(models, "test/tiny-table", standard.withTableRows(5));
    SemanticModels.write(models, "test/length-mismatch", standard.withTextLength(8));
    SemanticModels.write(models, "test/classifier", standard.withTask("image-classification"));
    node =
        SemanticNode.start(
            models,
            "semantic.default-model=test/colours",
            "semantic.max-input-pixels=4096",
            "semantic.load-wait-ms=2000");
    red = png(Color.RED, 32, 32);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private static JsonObject scores(String b64, List<String> texts) {
    return new JsonObject().put("image", image(b64)).put("texts", new JsonArray(texts));
  }

  private static JsonObject score(JsonArray scores, int i) {
    return scores.getJsonObject(i);
  }

  @Test
  @DisplayName("scoreImage answers each text's computed sigmoid score, in the request's order")
  void scoresTexts() {
    JsonObject result =
        node.checked(
            "scoreImage",
            "/v1/scores",
            scores(red, List.of("a red circle", "a green star", "yellow", "white")));
    assertThat(result.getString("model")).isEqualTo("test/colours");
    assertThat(result.getLong("elapsed_ms")).isNotNegative();
    JsonArray list = result.getJsonArray("scores");
    assertThat(list).hasSize(4);
    List<String> words = List.of("red", "green", "yellow", "white");
    List<String> texts = List.of("a red circle", "a green star", "yellow", "white");
    for (int i = 0; i < 4; i++) {
      double expected = logit(RED, words.get(i));
      assertThat(score(list, i).getString("text")).isEqualTo(texts.get(i));
      assertThat(score(list, i).getDouble("logit")).isCloseTo(expected, within(EPS));
      assertThat(score(list, i).getDouble("score")).isCloseTo(sigmoid(expected), within(EPS));
    }
    // cos 1 -> 10 - 5; cos 1/3 -> 3.33 - 5; cos -1/3 -> -3.33 - 5
    assertThat(score(list, 0).getDouble("logit")).isCloseTo(5, within(EPS));
    assertThat(score(list, 2).getDouble("logit")).isCloseTo(10 / 3.0 - 5, within(EPS));
    assertThat(score(list, 0).getDouble("score"))
        .isGreaterThan(score(list, 2).getDouble("score"))
        .isGreaterThan(0.99);
    assertThat(score(list, 2).getDouble("score")).isGreaterThan(score(list, 1).getDouble("score"));

    JsonArray blue =
        ok(node.post("/v1/scores", scores(png(Color.BLUE, 20, 12), List.of("red", "blue"))))
            .getJsonArray("scores");
    assertThat(score(blue, 1).getDouble("score")).isGreaterThan(0.99);
    assertThat(score(blue, 0).getDouble("score")).isLessThan(0.01);
  }

  @Test
  @DisplayName("Texts are wrapped in the request's template, else the manifest's; {} alone is raw")
  void templates() {
    JsonObject body = scores(red, List.of("red")).put("template", "{} on a white background");
    JsonObject withWhite =
        score(node.checked("scoreImage", "/v1/scores", body).getJsonArray("scores"), 0);
    // The text embedding is red + white = (2, 0, 0).
    assertThat(withWhite.getDouble("logit")).isCloseTo(logit(RED, "red", "white"), within(EPS));
    assertThat(withWhite.getString("text")).isEqualTo("red");

    JsonObject validation =
        new JsonObject()
            .put("image", image(red))
            .put("present", new JsonArray().add("red"))
            .put("template", "{}");
    JsonObject raw = node.checked("validateImage", "/v1/validate", validation);
    assertThat(raw.getJsonArray("scores").getJsonObject(0).getString("text")).isEqualTo("red");
    JsonObject manifest =
        node.checked("validateImage", "/v1/validate", without(validation, "template"));
    assertThat(manifest.getJsonArray("scores").getJsonObject(0).getString("text"))
        .isEqualTo("a picture of red");

    JsonObject braces = scores(red, List.of("red")).put("template", "no placeholder");
    JsonObject refused = problem(node.post("/v1/scores", braces), 400);
    node.valid("scoreImage", node.post("/v1/scores", braces));
    assertThat(refused.getString("type")).isEqualTo(ErrorType.VALIDATION.uri());
    assertThat(refused.encode()).contains("template");
  }

  @Test
  @DisplayName(
      "validateImage passes present concepts at or above the threshold and absent ones below it")
  void validates() {
    JsonObject request =
        new JsonObject()
            .put("image", image(red))
            .put("present", new JsonArray().add("a red circle"))
            .put("absent", new JsonArray().add("a green circle").add("a yellow circle"));
    JsonObject passed = node.checked("validateImage", "/v1/validate", request);
    // The manifest's thresholds.present is 0.6; yellow scores sigmoid(-1.67) = 0.16.
    assertThat(passed.getDouble("threshold")).isEqualTo(0.6);
    assertThat(passed.getBoolean("passed")).isTrue();
    assertThat(passed.getString("model")).isEqualTo("test/colours");
    JsonArray list = passed.getJsonArray("scores");
    assertThat(list.stream().map(s -> ((JsonObject) s).getString("expected")))
        .containsExactly("present", "absent", "absent");
    assertThat(list.stream().map(s -> ((JsonObject) s).getString("text")))
        .containsExactly(
            "a picture of a red circle",
            "a picture of a green circle",
            "a picture of a yellow circle");
    assertThat(list.getJsonObject(2).getDouble("score"))
        .isCloseTo(sigmoid(logit(RED, "yellow")), within(EPS));

    JsonObject strict =
        node.checked("validateImage", "/v1/validate", request.copy().put("threshold", 0.1));
    assertThat(strict.getBoolean("passed")).isFalse();
    assertThat(strict.getDouble("threshold")).isEqualTo(0.1);
    assertThat(
            strict.getJsonArray("scores").stream().map(s -> ((JsonObject) s).getBoolean("passed")))
        .containsExactly(true, true, false);

    JsonObject missing =
        node.checked(
            "validateImage",
            "/v1/validate",
            request
                .copy()
                .put("present", new JsonArray().add("a red circle").add("a blue square")));
    assertThat(missing.getBoolean("passed")).isFalse();
    assertThat(missing.getJsonArray("scores").getJsonObject(1).getBoolean("passed")).isFalse();
    assertThat(missing.getJsonArray("scores").getJsonObject(1).getString("concept"))
        .isEqualTo("a blue square");

    // A score exactly at the threshold passes a present concept and fails an absent one.
    double atYellow = sigmoid(logit(RED, "yellow"));
    ValidationResult edge =
        node.semantic
            .service()
            .validateImage(
                new ValidationRequest(
                    new ImageData(red, null),
                    List.of("yellow"),
                    List.of("yellow"),
                    atYellow,
                    "{}",
                    "test/colours"))
            .await();
    assertThat(edge.scores().stream().map(ConceptScore::passed)).containsExactly(true, false);
  }

  @Test
  @DisplayName("The event bus answers the same scores as HTTP, as records")
  void overTheBus() {
    ServiceClient client = new ServiceClient(node.vertx, ServiceId.SEMANTIC, 30_000);
    ScoreResult bus =
        client
            .call(
                "scoreImage",
                new ScoreRequest(new ImageData(red, null), List.of("red", "green"), null, null),
                ScoreResult.class,
                null)
            .await();
    JsonArray http =
        ok(node.post("/v1/scores", scores(red, List.of("red", "green")))).getJsonArray("scores");
    assertThat(bus.model()).isEqualTo("test/colours");
    assertThat(bus.scores().stream().map(TextScore::logit))
        .containsExactly(score(http, 0).getDouble("logit"), score(http, 1).getDouble("logit"));
    ValidationResult verdict =
        client
            .call(
                "validateImage",
                new ValidationRequest(
                    new ImageData(red, null), List.of("green"), null, null, null, null),
                ValidationResult.class,
                null)
            .await();
    assertThat(verdict.passed()).isFalse();
    ImajinException refused =
        (ImajinException)
            client
                .call(
                    "scoreImage",
                    new ScoreRequest(new ImageData(red, null), List.of("red"), null, "test/none"),
                    ScoreResult.class,
                    null)
                .transform(done -> io.vertx.core.Future.succeededFuture(done.cause()))
                .await();
    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.getMessage()).contains("model 'test/none' does not exist");
  }

  @Test
  @DisplayName("A model with declared sizes, an attention mask and its own pad id scores the same")
  void declaredShapesAndMask() {
    JsonArray colours =
        ok(node.post("/v1/scores", scores(red, List.of("red", "yellow", "white"))))
            .getJsonArray("scores");
    JsonArray declared =
        node.checked(
                "scoreImage",
                "/v1/scores",
                scores(red, List.of("red", "yellow", "white")).put("model", "test/declared"))
            .getJsonArray("scores");
    for (int i = 0; i < 3; i++) {
      assertThat(score(declared, i).getDouble("logit"))
          .isCloseTo(score(colours, i).getDouble("logit"), within(EPS));
    }
  }

  @Test
  @DisplayName("The manifest's max_length and pad_token_id frame the ids: padding and cuts count")
  void lengthAndPad() {
    JsonArray list =
        node.checked(
                "scoreImage",
                "/v1/scores",
                scores(red, List.of("green", "blue green red")).put("model", "test/red-pad"))
            .getJsonArray("scores");
    // [BOS, green, EOS, red]: green + red; [BOS, blue, green, EOS]: red is cut off.
    assertThat(score(list, 0).getDouble("logit"))
        .isCloseTo(logit(RED, "green", "red"), within(EPS));
    assertThat(score(list, 1).getDouble("logit"))
        .isCloseTo(logit(RED, "blue", "green"), within(EPS));
    assertThat(score(list, 0).getDouble("logit"))
        .isNotCloseTo(score(list, 1).getDouble("logit"), within(1.0));
  }

  @Test
  @DisplayName(
      "A model whose tokenizer.json is not CLIP's (tokenizer_format: json) scores the same")
  void jsonTokenizer() {
    List<String> texts = List.of("a red circle", "Yellow", "a white star");
    JsonArray colours = ok(node.post("/v1/scores", scores(red, texts))).getJsonArray("scores");
    JsonArray json =
        node.checked(
                "scoreImage", "/v1/scores", scores(red, texts).put("model", "test/json-tokenizer"))
            .getJsonArray("scores");
    for (int i = 0; i < texts.size(); i++) {
      assertThat(score(json, i).getDouble("logit"))
          .isCloseTo(score(colours, i).getDouble("logit"), within(EPS));
    }
  }

  @Test
  @DisplayName("info lists the loaded model with its task, family, device and image tower hash")
  void info() throws Exception {
    ok(node.post("/v1/scores", scores(red, List.of("red"))));
    JsonObject info = node.valid("info", node.get("/v1/info"));
    JsonObject model =
        info.getJsonArray("models").stream()
            .map(JsonObject.class::cast)
            .filter(m -> m.getString("id").equals("test/colours"))
            .findFirst()
            .orElseThrow();
    assertThat(model.getString("task")).isEqualTo("image-text-similarity");
    assertThat(model.getString("family")).isEqualTo("siglip");
    assertThat(model.getString("device")).isEqualTo("cpu");
    assertThat(model.getString("sha256"))
        .isEqualTo(sha256(models.resolve("test/colours/vision_model.onnx")));
    assertThat(
            info.getJsonArray("operations").stream()
                .map(JsonObject.class::cast)
                .filter(o -> o.getBoolean("built"))
                .map(o -> o.getString("operation_id")))
        .contains("validateImage", "scoreImage", "info");
  }

  @Test
  @DisplayName("Unusable images are 4xx problems that name the image field")
  void refusesImages() {
    JsonObject badBase64 = problem(node.post("/v1/scores", scores("@@@", List.of("red"))), 400);
    assertThat(badBase64.getString("detail")).contains("image.b64");

    byte[] png = java.util.Base64.getDecoder().decode(red);
    String truncated =
        java.util.Base64.getEncoder().encodeToString(Arrays.copyOf(png, png.length / 2));
    var corrupt = node.post("/v1/scores", scores(truncated, List.of("red")));
    node.valid("scoreImage", corrupt);
    assertThat(problem(corrupt, 422).getString("detail")).startsWith("image: the PNG file");

    JsonObject mismatch =
        scores(red, List.of("red")).put("image", image(red).put("media_type", "image/jpeg"));
    assertThat(problem(node.post("/v1/scores", mismatch), 422).getString("detail"))
        .isEqualTo("image.media_type says image/jpeg, but the bytes are PNG");

    var large = node.post("/v1/scores", scores(png(Color.RED, 100, 100), List.of("red")));
    node.valid("scoreImage", large);
    assertThat(problem(large, 413).getString("detail"))
        .contains("10000 pixels")
        .contains("semantic.max-input-pixels");
  }

  @Test
  @DisplayName(
      "Models that do not exist, are of another task or were refused are 422 naming /model")
  void refusesModels() {
    var unknown = node.post("/v1/scores", scores(red, List.of("red")).put("model", "test/none"));
    node.valid("scoreImage", unknown);
    JsonObject none = problem(unknown, 422);
    assertThat(none.getString("detail")).startsWith("model 'test/none' does not exist");
    assertThat(none.getJsonArray("errors").getJsonObject(0).getString("pointer"))
        .isEqualTo("/model");

    JsonObject other =
        problem(
            node.post("/v1/scores", scores(red, List.of("red")).put("model", "test/classifier")),
            422);
    assertThat(other.getString("detail"))
        .isEqualTo(
            "model 'test/classifier' is for image-classification, not image-text-similarity: the"
                + " semantic service needs a dual encoder");

    JsonObject refused =
        problem(
            node.post("/v1/scores", scores(red, List.of("red")).put("model", "test/no-scale")),
            422);
    assertThat(refused.getString("detail"))
        .startsWith("model 'test/no-scale' cannot be used:")
        .contains("postprocess.logit_scale: missing");

    var mismatch =
        node.post(
            "/v1/validate",
            new JsonObject()
                .put("image", image(red))
                .put("present", new JsonArray().add("red"))
                .put("model", "test/length-mismatch"));
    node.valid("validateImage", mismatch);
    assertThat(problem(mismatch, 422).getString("detail"))
        .contains("max_length is 16")
        .contains("text_model declares input_ids of length 8");
  }

  @Test
  @DisplayName("A failure of ONNX Runtime is a 500 that names the service and the model")
  void runtimeFailure() {
    var failed =
        node.post("/v1/scores", scores(red, List.of("red")).put("model", "test/tiny-table"));
    node.valid("scoreImage", failed);
    JsonObject problem = problem(failed, 500);
    assertThat(problem.getString("service")).isEqualTo("semantic");
    assertThat(problem.getString("detail"))
        .startsWith("Service 'semantic' failed: model 'test/tiny-table' on cpu: ");
    // The service goes on serving.
    ok(node.post("/v1/scores", scores(red, List.of("red"))));
  }

  @Test
  @DisplayName("The contract refuses bad bodies before the service sees them, naming the field")
  void contractRefusals() {
    JsonObject threshold =
        problem(
            node.post(
                "/v1/validate",
                new JsonObject()
                    .put("image", image(red))
                    .put("present", new JsonArray().add("red"))
                    .put("threshold", 1.5)),
            400);
    assertThat(threshold.encode()).contains("threshold");
    JsonObject empty = problem(node.post("/v1/scores", scores(red, List.of())), 400);
    assertThat(empty.encode()).contains("texts");
  }

  private static JsonObject without(JsonObject body, String key) {
    JsonObject copy = body.copy();
    copy.remove(key);
    return copy;
  }

  private static String sha256(Path file) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    try (InputStream in = Files.newInputStream(file)) {
      digest.update(in.readAllBytes());
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
