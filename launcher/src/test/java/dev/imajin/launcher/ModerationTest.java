package dev.imajin.launcher;

import static dev.imajin.launcher.LocalPlatform.inline;
import static dev.imajin.launcher.LocalPlatform.ok;
import static dev.imajin.launcher.LocalPlatform.status;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imajin.contracts.ServiceId;
import dev.imajin.contracts.common.Verdict;
import dev.imajin.contracts.moderator.ModeratePromptRequest;
import dev.imajin.contracts.moderator.ModerationCategory;
import dev.imajin.contracts.moderator.ModerationResult;
import dev.imajin.runtime.ServiceClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The moderator on the whole platform with the starter pack and the starter policy: an image that
 * should pass passes, and each layer blocks what it should (the hash banks, the prohibited-symbol
 * classifier, the age estimate, the prompt rules and the concept, a protected identity); blocks are
 * logged and read back, also by a restarted moderator; answers are padded to the policy's floor;
 * and a required layer whose model is deleted fails closed. The fixtures ({@code
 * src/test/resources/moderation}) were drawn by the starter pack's own renderers.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ModerationTest {
  private static final ServiceId MODERATOR = ServiceId.MODERATOR;
  private static final long FLOOR_MS = 1000;

  private static Path models;
  private static LocalPlatform platform;
  private static Instant started;
  private static final List<String> incidents = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    // a copy of the models the moderator and the services it calls use, so one can be deleted
    models = Files.createTempDirectory("imajin-moderation");
    Path starter = LocalPlatform.models().resolve("starter");
    for (String m : List.of("prohibited", "age", "face-detector", "face-embedder", "semantic")) {
      copy(starter.resolve(m), models.resolve("starter").resolve(m));
    }
    started = Instant.now().minusSeconds(1);
    platform =
        LocalPlatform.start(
            Set.of(ServiceId.GPU_BOSS, MODERATOR, ServiceId.SEMANTIC, ServiceId.IDENTITY),
            "models.roots=[" + models + "]");
    platform.awaitReady(MODERATOR, 120);
  }

  @AfterAll
  static void stop() throws IOException {
    if (platform != null) {
      platform.close();
    }
    try (Stream<Path> all = Files.walk(models)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Test
  @Order(1)
  void aPlainWorldImageIsAllowedAfterAllFiveLayersRan() {
    JsonObject result =
        moderate("circle.png", "a large green circle in the middle on a white background");
    assertThat(result.getString("verdict")).as(result.encodePrettily()).isEqualTo("allow");
    assertThat(result.getJsonArray("reasons")).isEmpty();
    assertThat(result.containsKey("incident_id")).isFalse();
    JsonArray layers = result.getJsonArray("layers");
    assertThat(layers.stream().map(l -> ((JsonObject) l).getString("layer")))
        .containsExactly(
            "hash_match",
            "image_classifier",
            "age_estimation",
            "prohibited_content",
            "identity_verification");
    assertThat(layers.stream().map(l -> ((JsonObject) l).getString("status")))
        .containsOnly("passed");
    assertThat(result.getJsonObject("pdq").getString("hash")).matches("[0-9a-f]{64}");
  }

  @Test
  @Order(2)
  void theProhibitedSymbolClassifierBlocks() {
    JsonObject result = moderate("saltire.png", null);
    assertBlockedBy(result, "image_classifier", "label.prohibited_symbol", "hate");
  }

  @Test
  @Order(3)
  void aFaceThatLooksUnder18Blocks() {
    JsonObject result = moderate("child.png", null);
    assertBlockedBy(result, "age_estimation", "face.minor", "sexual/minors");
    JsonObject face = layer(result, "age_estimation").getJsonArray("faces").getJsonObject(0);
    assertThat(face.getString("age_range")).isIn("0-12", "13-17");
    assertThat(face.getDouble("minor_score")).isGreaterThanOrEqualTo(0.5);
    JsonObject adult = moderate("adult-0.png", null);
    assertThat(adult.getString("verdict")).as(adult.encodePrettily()).isEqualTo("allow");
    assertThat(layer(adult, "age_estimation").getJsonArray("faces")).hasSize(1);
  }

  @Test
  @Order(4)
  void anObfuscatedPromptBlocksAndAPlainOnePasses() {
    JsonObject blocked =
        ok(
            platform.post(
                MODERATOR,
                "/v1/moderations/prompt",
                new JsonObject().put("prompt", "a b1ack  s t a r on а red background")));
    assertBlockedBy(blocked, "prohibited_content", "rule.hate.black_star", "hate");
    JsonObject hit =
        layer(blocked, "prohibited_content").getJsonArray("rule_hits").getJsonObject(0);
    assertThat(hit.getBoolean("obfuscated")).isTrue();
    assertThat(blocked.getString("kind")).isEqualTo("prompt");
    assertThat(blocked.getJsonArray("layers")).hasSize(1);

    JsonObject allowed =
        ok(
            platform.post(
                MODERATOR,
                "/v1/moderations/prompt",
                new JsonObject().put("prompt", "a small black star in the top left")));
    assertThat(allowed.getString("verdict")).isEqualTo("allow");

    // the same operation on the event bus, as a JVM in the cluster calls it
    ModerationResult overBus =
        new ServiceClient(platform.vertx(), MODERATOR, 30_000)
            .call(
                "moderatePrompt",
                new ModeratePromptRequest("n a k e d  c h i l d", null),
                ModerationResult.class,
                "req-bus-1")
            .await();
    assertThat(overBus.verdict()).isEqualTo(Verdict.BLOCK);
    assertThat(overBus.categories()).containsExactly(ModerationCategory.SEXUAL_MINORS);
    assertThat(overBus.requestId()).isEqualTo("req-bus-1");
    incidents.add(overBus.incidentId());
  }

  @Test
  @Order(5)
  void theConceptCheckBlocksABlackStarOnRed() {
    JsonObject result = moderate("black-star-on-red.png", "a large black star");
    assertBlockedBy(result, "prohibited_content", "concept.black_star_on_red", "hate");
  }

  @Test
  @Order(6)
  void aProtectedIdentitysFaceBlocks() {
    JsonObject enrolled =
        status(
            platform.post(
                ServiceId.IDENTITY,
                "/v1/identities",
                new JsonObject()
                    .put("name", "Ada Example")
                    .put(
                        "consent",
                        new JsonObject()
                            .put("kind", "protected")
                            .put("owner", "ada")
                            .put("granted_at", "2026-11-01T00:00:00Z"))
                    .put("images", new JsonArray().add(inline(fixture("adult-0.png"))))),
            201);
    JsonObject result = moderate("adult-1.png", null);
    assertBlockedBy(result, "identity_verification", "identity.protected", "privacy/likeness");
    JsonObject face = layer(result, "identity_verification").getJsonArray("faces").getJsonObject(0);
    assertThat(face.getString("identity_id")).isEqualTo(enrolled.getString("id"));
    JsonObject stranger = moderate("stranger.png", null);
    assertThat(stranger.getString("verdict")).as(stranger.encodePrettily()).isEqualTo("allow");
  }

  @Test
  @Order(7)
  void aConsentedIdentityPassesForItsOwnerOnly() {
    status(
        platform.post(
            ServiceId.IDENTITY,
            "/v1/identities",
            new JsonObject()
                .put("name", "Bo Example")
                .put(
                    "consent",
                    new JsonObject()
                        .put("kind", "consented")
                        .put("owner", "bo")
                        .put("granted_at", "2026-11-01T00:00:00Z"))
                .put("images", new JsonArray().add(inline(fixture("consenting-0.png"))))),
        201);
    JsonObject forOwner = moderate("consenting-1.png", null, "bo");
    assertThat(forOwner.getString("verdict")).as(forOwner.encodePrettily()).isEqualTo("allow");
    JsonObject face =
        layer(forOwner, "identity_verification").getJsonArray("faces").getJsonObject(0);
    assertThat(face.getString("consent")).isEqualTo("consented");
    assertThat(face.getBoolean("owner_matches")).isTrue();
    JsonObject forAnother = moderate("consenting-1.png", null, "eve");
    assertBlockedBy(
        forAnother, "identity_verification", "identity.consented_other_owner", "privacy/likeness");
  }

  @Test
  @Order(8)
  void anImageInABankBlocksInTheBanksCategory() {
    String bank = "test-" + UUID.randomUUID().toString().substring(0, 8);
    status(
        platform.post(
            MODERATOR,
            "/v1/banks",
            new JsonObject().put("id", bank).put("category", "violence/graphic")),
        201);
    JsonObject hash =
        ok(
            platform.post(
                MODERATOR,
                "/v1/hash",
                new JsonObject().put("image", inline(fixture("circle.png")))));
    ok(
        platform.post(
            MODERATOR,
            "/v1/banks/" + bank + "/hashes",
            new JsonObject()
                .put(
                    "hashes",
                    new JsonArray().add(new JsonObject().put("hash", hash.getString("hash"))))));
    JsonObject result = moderate("circle.png", null);
    assertBlockedBy(result, "hash_match", "bank." + bank, "violence/graphic");
    assertThat(
            platform
                .http
                .delete(platform.node.ports().get(MODERATOR), "localhost", "/v1/banks/" + bank)
                .send()
                .await()
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  @Order(9)
  void everyBlockIsInTheIncidentLog() {
    JsonObject page = ok(platform.get(MODERATOR, "/v1/incidents?limit=100&since=" + started));
    List<String> listed =
        page.getJsonArray("incidents").stream().map(i -> ((JsonObject) i).getString("id")).toList();
    assertThat(listed).containsAll(incidents);
    JsonObject one = ok(platform.get(MODERATOR, "/v1/incidents/" + incidents.get(0)));
    assertThat(one.getString("verdict")).isEqualTo("block");
    assertThat(one.encode()).doesNotContain("\"b64\"");
    JsonObject hate = ok(platform.get(MODERATOR, "/v1/incidents?category=hate&since=" + started));
    assertThat(hate.getJsonArray("incidents"))
        .allMatch(i -> ((JsonObject) i).getJsonArray("categories").contains("hate"));
    assertThat(hate.getJsonArray("incidents")).isNotEmpty();
    status(platform.get(MODERATOR, "/v1/incidents/inc_1000-0"), 404);
  }

  @Test
  @Order(10)
  void answersArePaddedToTheFloorWhateverTheVerdict() {
    for (String image : List.of("circle.png", "saltire.png", "child.png")) {
      long start = System.nanoTime();
      moderate(image, null);
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertThat(ms).as(image).isGreaterThanOrEqualTo(FLOOR_MS);
    }
    JsonObject info = ok(platform.get(MODERATOR, "/v1/info"));
    assertThat(info.getJsonArray("models").stream().map(m -> ((JsonObject) m).getString("id")))
        .contains("starter/prohibited", "starter/face-detector", "starter/age");
    assertThat(
            info.getJsonArray("operations").stream()
                .filter(o -> ((JsonObject) o).getString("operation_id").startsWith("moderate"))
                .map(o -> ((JsonObject) o).getBoolean("built")))
        .containsOnly(true);
    JsonObject policy = ok(platform.get(MODERATOR, "/v1/policy"));
    assertThat(policy.getLong("response_floor_ms")).isEqualTo(FLOOR_MS);
    assertThat(policy.getJsonArray("layers")).hasSize(5);
  }

  @Test
  @Order(11)
  void aRequiredLayerWhoseModelIsDeletedFailsClosed() throws IOException {
    Path classifier = models.resolve("starter/prohibited/model.onnx");
    Files.delete(classifier);
    JsonObject result = moderate("circle.png", null);
    assertThat(result.getString("verdict")).isEqualTo("block");
    JsonObject reason = result.getJsonArray("reasons").getJsonObject(0);
    assertThat(reason.getString("code")).isEqualTo("layer_unavailable");
    assertThat(reason.getString("layer")).isEqualTo("image_classifier");
    assertThat(reason.getString("detail")).contains("model.onnx");
    assertThat(layer(result, "image_classifier").getString("status")).isEqualTo("unavailable");
  }

  @Test
  @Order(12)
  void theIncidentLogOutlivesTheModerator() throws Exception {
    platform.close();
    platform = LocalPlatform.start(Set.of(MODERATOR), "models.roots=[" + models + "]");
    JsonObject one = ok(platform.get(MODERATOR, "/v1/incidents/" + incidents.get(0)));
    assertThat(one.getString("id")).isEqualTo(incidents.get(0));
  }

  private static JsonObject moderate(String fixture, String prompt) {
    return moderate(fixture, prompt, null);
  }

  private static JsonObject moderate(String fixture, String prompt, String user) {
    JsonObject body = new JsonObject().put("image", inline(fixture(fixture)));
    if (prompt != null) {
      body.put("prompt", prompt);
    }
    if (user != null) {
      body.put("context", new JsonObject().put("user", user));
    }
    return ok(platform.post(MODERATOR, "/v1/moderations/image", body));
  }

  private static void assertBlockedBy(
      JsonObject result, String layer, String code, String category) {
    assertThat(result.getString("verdict")).as(result.encodePrettily()).isEqualTo("block");
    assertThat(result.getJsonArray("reasons").stream().map(r -> ((JsonObject) r).getString("code")))
        .as(result.encodePrettily())
        .contains(code);
    assertThat(result.getJsonArray("categories")).contains(category);
    assertThat(layer(result, layer).getString("status")).isEqualTo("flagged");
    assertThat(result.getString("incident_id")).startsWith("inc_");
    incidents.add(result.getString("incident_id"));
  }

  private static JsonObject layer(JsonObject result, String name) {
    return result.getJsonArray("layers").stream()
        .map(l -> (JsonObject) l)
        .filter(l -> l.getString("layer").equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static byte[] fixture(String name) {
    try (InputStream in = ModerationTest.class.getResourceAsStream("/moderation/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : all.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
