package dev.imajin.moderator;

import static dev.imajin.moderator.ModeratorVerticleTest.png;
import static dev.imajin.moderator.ModeratorVerticleTest.scene;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imajin.runtime.testing.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The moderator alone, with no models, no GPU Boss and neither the semantic nor the identity
 * service: every required layer is unavailable, so every image is blocked with the reason of each
 * layer; bad input is refused at once and logs nothing; the incident operations refuse malformed
 * queries.
 */
class ModerationProblemsTest {
  private static Vertx vertx;
  private static WebClient http;
  private static int port;

  @BeforeAll
  static void deploy() {
    System.setProperty("java.awt.headless", "true");
    vertx = Vertx.vertx();
    ModeratorVerticle verticle =
        new ModeratorVerticle(TestNodes.context(vertx, "models.roots=[does-not-exist]"));
    vertx.deployVerticle(verticle).await();
    port = verticle.actualPort();
    http = WebClient.create(vertx);
  }

  @AfterAll
  static void close() {
    vertx.close().await();
  }

  private static HttpResponse<Buffer> post(String path, JsonObject body) {
    return http.post(port, "localhost", path).sendJsonObject(body).await();
  }

  private static HttpResponse<Buffer> get(String path) {
    return http.get(port, "localhost", path).send().await();
  }

  private static JsonObject status(HttpResponse<Buffer> r, int status) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(status);
    return r.bodyAsJsonObject();
  }

  @Test
  void withoutItsModelsAndServicesEveryImageIsBlockedNamingEachLayer() throws Exception {
    long start = System.nanoTime();
    JsonObject result =
        status(
            post(
                "/v1/moderations/image",
                new JsonObject()
                    .put("image", new JsonObject().put("b64", png(scene(64, 64, 3))))
                    .put("prompt", "a red circle")),
            200);
    assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(1000);
    assertThat(result.getString("verdict")).isEqualTo("block");
    JsonArray reasons = result.getJsonArray("reasons");
    assertThat(reasons.stream().map(r -> ((JsonObject) r).getString("code")))
        .containsOnly("layer_unavailable");
    assertThat(reasons.stream().map(r -> ((JsonObject) r).getString("layer")))
        .containsExactly(
            "image_classifier", "age_estimation", "prohibited_content", "identity_verification");
    String identity = reasons.getJsonObject(3).getString("detail");
    assertThat(identity).contains("identity");
    // the hash banks need no model: that layer ran
    assertThat(result.getJsonArray("layers").getJsonObject(0).getString("status"))
        .isEqualTo("passed");
    String incident = result.getString("incident_id");
    JsonObject logged = status(get("/v1/incidents/" + incident), 200);
    assertThat(logged.getString("prompt")).isEqualTo("a red circle");
    assertThat(logged.getJsonObject("pdq").getString("hash"))
        .isEqualTo(result.getJsonObject("pdq").getString("hash"));
  }

  @Test
  void badImagesAreRefusedAtOnceAndLogNothing() {
    long before = count();
    JsonObject notBase64 =
        status(
            post(
                "/v1/moderations/image",
                new JsonObject().put("image", new JsonObject().put("b64", "%%%not base64%%%"))),
            400);
    assertThat(notBase64.getString("detail")).contains("image.b64");
    JsonObject notAnImage =
        status(
            post(
                "/v1/moderations/image",
                new JsonObject()
                    .put(
                        "image",
                        new JsonObject()
                            .put(
                                "b64",
                                Base64.getEncoder().encodeToString("not an image".getBytes())))),
            422);
    assertThat(notAnImage.getString("detail")).startsWith("image");
    status(post("/v1/moderations/image", new JsonObject().put("prompt", "no image")), 400);
    status(post("/v1/moderations/prompt", new JsonObject().put("prompt", "")), 400);
    assertThat(count()).isEqualTo(before);
  }

  @Test
  void malformedIncidentQueriesAreRefused() {
    JsonObject cursor = status(get("/v1/incidents?cursor=bad*cursor"), 400);
    assertThat(cursor.encode()).contains("cursor");
    status(get("/v1/incidents?limit=0"), 400);
    status(get("/v1/incidents?since=yesterday"), 400);
    status(get("/v1/incidents?since=2026-11-02T00:00:00Z&until=2026-11-01T00:00:00Z"), 400);
    status(get("/v1/incidents?verdict=allow"), 400);
    status(get("/v1/incidents/inc_99999999-0"), 404);
    status(get("/v1/incidents/no"), 400);
    JsonObject policy = status(get("/v1/policy"), 200);
    assertThat(policy.getString("sha256")).matches("[0-9a-f]{64}");
    assertThat(policy.getJsonArray("text_rules")).isNotEmpty();
  }

  private static long count() {
    return status(get("/v1/incidents?limit=500"), 200).getJsonArray("incidents").size();
  }
}
