package dev.imajin.identity;

import static dev.imajin.identity.IdentityServiceTest.enrolBody;
import static dev.imajin.identity.IdentityServiceTest.image;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imajin.contracts.ErrorType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Bad input: each a problem that names what and where, and none changes what is enrolled. The pixel
 * limit is set below the fixtures' 160x160 for the 413 case on a second node.
 */
class IdentityProblemsTest {
  private static IdentityNode node;
  private static String bruno;

  @BeforeAll
  static void start() {
    node = IdentityNode.start();
    bruno =
        node.expect(
                "enrolIdentity",
                node.post(
                    "/v1/identities",
                    enrolBody("Bruno", "consented", "user-bruno", "bruno-0.png")
                        .put("external_ref", "crm-bruno")),
                201)
            .getString("id");
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  /** The identities enrolled now, as a list body. */
  private static JsonObject enrolled() {
    return node.expect("listIdentities", node.get("/v1/identities"), 200);
  }

  private static JsonObject enrolExpect(JsonObject body, int status) {
    return node.expect("enrolIdentity", node.post("/v1/identities", body), status);
  }

  private static JsonObject b64(String text) {
    return new JsonObject().put("b64", text);
  }

  @Test
  @DisplayName("An image without a face refuses the whole enrolment, naming it; nothing is stored")
  void noFace() {
    JsonObject before = enrolled();
    JsonObject problem =
        enrolExpect(
            enrolBody("Nobody", "protected", "ops", "alice-0.png", "no-face.png", "chen-0.png"),
            422);
    assertThat(problem.getString("type")).isEqualTo(ErrorType.UNPROCESSABLE.uri());
    assertThat(problem.getString("detail")).startsWith("images[1]: no face was found");
    assertThat(enrolled()).isEqualTo(before);

    JsonObject added =
        node.expect(
            "addFaces",
            node.post(
                "/v1/identities/" + bruno + "/faces",
                new JsonObject()
                    .put(
                        "images",
                        new JsonArray()
                            .add(Faces.inline("bruno-1.png"))
                            .add(Faces.inline("no-face.png")))),
            422);
    assertThat(added.getString("detail")).startsWith("images[1]: no face");
    assertThat(
            node.expect("getIdentity", node.get("/v1/identities/" + bruno), 200)
                .getInteger("face_count"))
        .isEqualTo(1);
  }

  @Test
  @DisplayName("With two faces in an image, the largest is enrolled and the count is kept")
  void twoFaces() {
    JsonObject two =
        node.expect(
            "enrolIdentity",
            node.post(
                "/v1/identities", enrolBody("Crowd", "protected", "ops-two", "two-faces.png")),
            201);
    JsonObject face = two.getJsonArray("faces").getJsonObject(0);
    assertThat(face.getInteger("faces_in_image")).isEqualTo(2);
    JsonArray truth = Faces.boxes("two-faces.png");
    double larger =
        Math.max(
            truth.getJsonArray(0).getDouble(3) - truth.getJsonArray(0).getDouble(1),
            truth.getJsonArray(1).getDouble(3) - truth.getJsonArray(1).getDouble(1));
    assertThat((double) face.getJsonObject("box").getInteger("height"))
        .isBetween(larger * 0.7, larger * 1.3);
    node.expect("deleteIdentity", node.delete("/v1/identities/" + two.getString("id")), 200);
  }

  @Test
  @DisplayName("Invalid base64 is a 400, undecodable bytes a 422, each naming the field")
  void undecodable() {
    JsonObject before = enrolled();
    JsonObject bad =
        enrolExpect(
            new JsonObject()
                .put("name", "X")
                .put("images", new JsonArray().add(Faces.inline("alice-0.png")).add(b64("@@@")))
                .put("consent", IdentityServiceTest.consent("protected", "ops")),
            400);
    assertThat(bad.getString("detail")).startsWith("images[1].b64 is not valid base64");

    String noise = Base64.getEncoder().encodeToString("this is not an image".getBytes());
    JsonObject notImage =
        node.expect(
            "searchIdentities",
            node.post("/v1/identities/search", new JsonObject().put("image", b64(noise))),
            422);
    assertThat(notImage.getString("detail")).startsWith("image: ");
    byte[] png = Faces.bytes("alice-0.png");
    String truncated = Base64.getEncoder().encodeToString(Arrays.copyOf(png, png.length / 2));
    JsonObject cut =
        node.expect(
            "verifyIdentity",
            node.post(
                "/v1/identities/" + bruno + "/verify",
                new JsonObject().put("image", b64(truncated))),
            422);
    assertThat(cut.getString("detail")).startsWith("image");
    JsonObject cutEnrol =
        enrolExpect(
            new JsonObject()
                .put("name", "X")
                .put("images", new JsonArray().add(b64(truncated)))
                .put("consent", IdentityServiceTest.consent("protected", "ops")),
            422);
    assertThat(cutEnrol.getString("detail")).startsWith("images[0]");
    assertThat(enrolled()).isEqualTo(before);
  }

  @Test
  @DisplayName("Unknown identities are 404s for get, add faces, verify and delete")
  void unknown() {
    String missing = "/v1/identities/idn_NOSUCHIDENTITY";
    assertThat(node.expect("getIdentity", node.get(missing), 404).getString("type"))
        .isEqualTo(ErrorType.NOT_FOUND.uri());
    node.expect("verifyIdentity", node.post(missing + "/verify", image("bruno-1.png")), 404);
    node.expect(
        "addFaces",
        node.post(
            missing + "/faces",
            new JsonObject().put("images", new JsonArray().add(Faces.inline("bruno-1.png")))),
        404);
    node.expect("deleteIdentity", node.delete(missing), 404);
  }

  @Test
  @DisplayName("An external ref already enrolled is a 409 naming the holder; nothing is stored")
  void duplicateRef() {
    JsonObject before = enrolled();
    JsonObject conflict =
        enrolExpect(
            enrolBody("Bruno twin", "protected", "ops", "bruno-1.png")
                .put("external_ref", "crm-bruno"),
            409);
    assertThat(conflict.getString("detail")).contains("crm-bruno").contains(bruno);
    assertThat(enrolled()).isEqualTo(before);
  }

  @Test
  @DisplayName("A body or parameter outside the contract is a 400; so is a cursor never given")
  void validation() {
    JsonObject noConsent =
        enrolExpect(
            new JsonObject()
                .put("name", "X")
                .put("images", new JsonArray().add(Faces.inline("bruno-1.png"))),
            400);
    assertThat(noConsent.getString("type")).isEqualTo(ErrorType.VALIDATION.uri());
    enrolExpect(enrolBody("X", "famous", "ops", "bruno-1.png"), 400);
    node.expect(
        "searchIdentities",
        node.post("/v1/identities/search", image("bruno-1.png").put("threshold", 2)),
        400);
    node.expect("listIdentities", node.get("/v1/identities?limit=0"), 400);
    JsonObject cursor = node.expect("listIdentities", node.get("/v1/identities?cursor=abc"), 400);
    assertThat(cursor.getString("detail")).contains("cursor");
  }

  @Test
  @DisplayName("An image over the pixel limit is a 413 naming the key, before decoding")
  void tooManyPixels() {
    IdentityNode small = null;
    try {
      node.close();
      small = IdentityNode.start("identity.max-input-pixels=10000");
      JsonObject problem =
          small.expect(
              "enrolIdentity",
              small.post("/v1/identities", enrolBody("Big", "protected", "ops", "alice-0.png")),
              413);
      assertThat(problem.getString("detail"))
          .startsWith("images[0]")
          .contains("identity.max-input-pixels");
      small.expect("listIdentities", small.get("/v1/identities"), 200);
      assertThat(
              small
                  .expect("listIdentities", small.get("/v1/identities"), 200)
                  .getJsonArray("identities"))
          .isEmpty();
      JsonObject search =
          small.expect(
              "searchIdentities", small.post("/v1/identities/search", image("alice-0.png")), 413);
      assertThat(search.getString("detail"))
          .startsWith("image")
          .contains("identity.max-input-pixels");
    } finally {
      if (small != null) {
        small.close();
      }
      node = IdentityNode.start();
      bruno =
          node.expect(
                  "enrolIdentity",
                  node.post(
                      "/v1/identities",
                      enrolBody("Bruno", "consented", "user-bruno", "bruno-0.png")
                          .put("external_ref", "crm-bruno")),
                  201)
              .getString("id");
    }
  }
}
