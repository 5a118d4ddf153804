package dev.imajin.identity;

import static dev.imajin.identity.IdentityServiceTest.enrolBody;
import static dev.imajin.identity.IdentityServiceTest.image;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Two identity services on one Redis, as two cluster nodes would run them: each sees what the other
 * enrolled, added and deleted as soon as the other has answered.
 */
class IdentityTwoNodesTest {
  private static IdentityNode first;
  private static IdentityNode second;

  @BeforeAll
  static void start() {
    first = IdentityNode.start();
    second = IdentityNode.join();
  }

  @AfterAll
  static void stop() {
    second.close();
    first.close();
  }

  private static JsonArray candidates(IdentityNode node, String image) {
    return node.expect("searchIdentities", node.post("/v1/identities/search", image(image)), 200)
        .getJsonArray("faces")
        .getJsonObject(0)
        .getJsonArray("candidates");
  }

  @Test
  @DisplayName("An enrolment, an added face and a deletion on one node are seen by the other")
  void shared() {
    // the second node reads the (empty) gallery first, so it holds a copy to invalidate
    assertThat(candidates(second, "chen-2.png")).isEmpty();
    String chen =
        first
            .expect(
                "enrolIdentity",
                first.post("/v1/identities", enrolBody("Chen", "protected", "ops", "chen-0.png")),
                201)
            .getString("id");
    assertThat(candidates(second, "chen-2.png").getJsonObject(0).getString("identity_id"))
        .isEqualTo(chen);
    second.expect(
        "addFaces",
        second.post(
            "/v1/identities/" + chen + "/faces",
            new JsonObject().put("images", new JsonArray().add(Faces.inline("chen-1.png")))),
        200);
    assertThat(
            first
                .expect("getIdentity", first.get("/v1/identities/" + chen), 200)
                .getInteger("face_count"))
        .isEqualTo(2);
    second.expect("deleteIdentity", second.delete("/v1/identities/" + chen), 200);
    assertThat(candidates(first, "chen-2.png")).isEmpty();
    first.expect("getIdentity", first.get("/v1/identities/" + chen), 404);
  }
}
