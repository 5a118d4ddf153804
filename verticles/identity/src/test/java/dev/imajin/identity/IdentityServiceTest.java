package dev.imajin.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imajin.contracts.ImajinException;
import dev.imajin.contracts.identity.ConsentKind;
import dev.imajin.contracts.identity.Identity;
import dev.imajin.contracts.identity.SearchResult;
import dev.imajin.contracts.identity.VerifyResult;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The identity service on the starter pack's face models and the committed fixtures, over HTTP
 * (every response checked against the contract) and the event bus: enrolment, 1:1 and 1:N
 * recognition at the manifest's threshold, listing, deletion that makes an identity unfindable, and
 * identities that outlive the service.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IdentityServiceTest {
  private static IdentityNode node;
  private static String alice;
  private static String bruno;
  private static String chen;

  @BeforeAll
  static void start() {
    node = IdentityNode.start();
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  static JsonObject consent(String kind, String owner) {
    return new JsonObject()
        .put("kind", kind)
        .put("owner", owner)
        .put("granted_at", "2026-11-20T09:30:00Z");
  }

  static JsonObject enrolBody(String name, String kind, String owner, String... images) {
    JsonArray inline = new JsonArray();
    for (String image : images) {
      inline.add(Faces.inline(image));
    }
    return new JsonObject()
        .put("name", name)
        .put("images", inline)
        .put("consent", consent(kind, owner));
  }

  static JsonObject image(String name) {
    return new JsonObject().put("image", Faces.inline(name));
  }

  private static JsonObject enrol(JsonObject body) {
    return node.expect("enrolIdentity", node.post("/v1/identities", body), 201);
  }

  private static JsonObject verify(String id, String image) {
    return node.expect(
        "verifyIdentity", node.post("/v1/identities/" + id + "/verify", image(image)), 200);
  }

  private static JsonObject search(JsonObject body) {
    return node.expect("searchIdentities", node.post("/v1/identities/search", body), 200);
  }

  @Test
  @Order(1)
  @DisplayName("Enrolment stores the largest face of each image with its consent record")
  void enrols() {
    JsonObject a =
        enrol(
            enrolBody("Alice", "protected", "alice-herself", "alice-0.png", "alice-1.png")
                .put("external_ref", "crm-alice"));
    alice = a.getString("id");
    assertThat(alice).startsWith("idn_");
    assertThat(a.getInteger("face_count")).isEqualTo(2);
    assertThat(a.getString("external_ref")).isEqualTo("crm-alice");
    assertThat(a.getJsonObject("consent").getString("kind")).isEqualTo("protected");
    assertThat(a.getString("embedding_model")).isEqualTo("starter/face-embedder");
    JsonArray faces = a.getJsonArray("faces");
    assertThat(faces).hasSize(2);
    JsonObject box = faces.getJsonObject(0).getJsonObject("box");
    JsonArray truth = Faces.boxes("alice-0.png").getJsonArray(0);
    assertThat((double) box.getInteger("x"))
        .isBetween(truth.getDouble(0) - 8, truth.getDouble(0) + 8);
    assertThat(faces.getJsonObject(0).getInteger("faces_in_image")).isEqualTo(1);
    assertThat(faces.getJsonObject(0).containsKey("embedding")).isFalse();

    bruno = enrol(enrolBody("Bruno", "consented", "user-bruno", "bruno-0.png")).getString("id");
    chen =
        enrol(enrolBody("Chen", "consented", "user-chen", "chen-0.png", "chen-1.png"))
            .getString("id");
    assertThat(List.of(alice, bruno, chen)).doesNotHaveDuplicates();
  }

  @Test
  @Order(2)
  @DisplayName("A new view of a person verifies above the threshold; another person's does not")
  void verifies() {
    JsonObject same = verify(alice, "alice-2.png");
    assertThat(same.getBoolean("match")).isTrue();
    assertThat(same.getDouble("threshold")).isEqualTo(0.63);
    assertThat(same.getDouble("similarity")).isGreaterThanOrEqualTo(0.63);
    assertThat(same.getInteger("faces_detected")).isEqualTo(1);
    assertThat(same.getJsonObject("face").getDouble("detection_score")).isGreaterThan(0.5);

    JsonObject other = verify(alice, "bruno-2.png");
    assertThat(other.getBoolean("match")).isFalse();
    assertThat(other.getDouble("similarity")).isLessThan(0.63);

    // the request's threshold wins
    JsonObject strict =
        node.expect(
            "verifyIdentity",
            node.post(
                "/v1/identities/" + alice + "/verify", image("alice-2.png").put("threshold", 1.0)),
            200);
    assertThat(strict.getBoolean("match")).isFalse();
    assertThat(strict.getDouble("threshold")).isEqualTo(1.0);

    JsonObject none = verify(alice, "no-face.png");
    assertThat(none.getBoolean("match")).isFalse();
    assertThat(none.getInteger("faces_detected")).isZero();
    assertThat(none.containsKey("similarity")).isFalse();
  }

  @Test
  @Order(3)
  @DisplayName("Search returns the right person first, for each person, and honours the filters")
  void searches() {
    for (String[] person : new String[][] {{"alice", alice}, {"bruno", bruno}, {"chen", chen}}) {
      JsonObject found = search(image(person[0] + "-2.png").put("threshold", 0.0));
      assertThat(found.getInteger("faces_detected")).isEqualTo(1);
      JsonArray candidates =
          found.getJsonArray("faces").getJsonObject(0).getJsonArray("candidates");
      // at threshold 0 every identity at least orthogonal to the face is a candidate
      assertThat(candidates.size()).isBetween(1, 3);
      assertThat(candidates.getJsonObject(0).getString("identity_id"))
          .as(person[0])
          .isEqualTo(person[1]);
      for (int i = 1; i < candidates.size(); i++) {
        assertThat(candidates.getJsonObject(i).getDouble("similarity"))
            .isLessThan(candidates.getJsonObject(i - 1).getDouble("similarity"))
            .isLessThan(0.63);
      }
    }
    // at the default threshold only the person remains
    JsonArray only =
        search(image("chen-2.png"))
            .getJsonArray("faces")
            .getJsonObject(0)
            .getJsonArray("candidates");
    assertThat(only).hasSize(1);
    assertThat(only.getJsonObject(0).getString("name")).isEqualTo("Chen");
    assertThat(only.getJsonObject(0).getString("consent")).isEqualTo("consented");
    assertThat(only.getJsonObject(0).getString("owner")).isEqualTo("user-chen");
    // consent filter and candidate cap
    JsonArray protectedOnly =
        search(image("bruno-2.png").put("threshold", 0.0).put("consent", "protected"))
            .getJsonArray("faces")
            .getJsonObject(0)
            .getJsonArray("candidates");
    assertThat(protectedOnly).hasSize(1);
    assertThat(protectedOnly.getJsonObject(0).getString("identity_id")).isEqualTo(alice);
    JsonArray capped =
        search(image("bruno-2.png").put("threshold", 0.0).put("max_candidates", 1))
            .getJsonArray("faces")
            .getJsonObject(0)
            .getJsonArray("candidates");
    assertThat(capped).hasSize(1);
    assertThat(capped.getJsonObject(0).getString("identity_id")).isEqualTo(bruno);
  }

  @Test
  @Order(4)
  @DisplayName("An image with two faces gives one entry per face; none gives no entry")
  void severalFaces() {
    JsonObject two = search(image("two-faces.png"));
    assertThat(two.getInteger("faces_detected")).isEqualTo(2);
    assertThat(two.getJsonArray("faces")).hasSize(2);
    JsonObject none = search(image("no-face.png"));
    assertThat(none.getInteger("faces_detected")).isZero();
    assertThat(none.getJsonArray("faces")).isEmpty();
  }

  @Test
  @Order(5)
  @DisplayName("Get, list with filters and pages, and more faces")
  void reads() {
    JsonObject got = node.expect("getIdentity", node.get("/v1/identities/" + alice), 200);
    assertThat(got.getString("name")).isEqualTo("Alice");
    assertThat(got.getJsonArray("faces")).hasSize(2);

    JsonObject all = node.expect("listIdentities", node.get("/v1/identities"), 200);
    assertThat(all.getJsonArray("identities")).hasSize(3);
    assertThat(all.getJsonArray("identities").getJsonObject(0).getString("id")).isEqualTo(alice);
    assertThat(all.getJsonArray("identities").getJsonObject(0).containsKey("faces")).isFalse();
    assertThat(all.containsKey("next_cursor")).isFalse();

    JsonObject first = node.expect("listIdentities", node.get("/v1/identities?limit=2"), 200);
    assertThat(first.getJsonArray("identities")).hasSize(2);
    String cursor = first.getString("next_cursor");
    JsonObject second =
        node.expect("listIdentities", node.get("/v1/identities?limit=2&cursor=" + cursor), 200);
    assertThat(second.getJsonArray("identities")).hasSize(1);
    assertThat(second.getJsonArray("identities").getJsonObject(0).getString("id")).isEqualTo(chen);
    assertThat(second.containsKey("next_cursor")).isFalse();

    JsonObject consented =
        node.expect("listIdentities", node.get("/v1/identities?consent=consented"), 200);
    assertThat(consented.getJsonArray("identities")).hasSize(2);
    JsonObject owned =
        node.expect("listIdentities", node.get("/v1/identities?owner=user-bruno"), 200);
    assertThat(owned.getJsonArray("identities")).hasSize(1);

    JsonObject more =
        node.expect(
            "addFaces",
            node.post(
                "/v1/identities/" + bruno + "/faces",
                new JsonObject().put("images", new JsonArray().add(Faces.inline("bruno-1.png")))),
            200);
    assertThat(more.getInteger("face_count")).isEqualTo(2);
    assertThat(more.getJsonArray("faces")).hasSize(2);
  }

  @Test
  @Order(6)
  @DisplayName("The operations answer on the event bus with the same bodies")
  void bus() {
    Identity got =
        node.bus
            .call("getIdentity", new JsonObject().put("identity_id", chen), Identity.class, null)
            .await();
    assertThat(got.name()).isEqualTo("Chen");
    assertThat(got.consent().kind()).isEqualTo(ConsentKind.CONSENTED);
    VerifyResult verified =
        node.bus
            .call(
                "verifyIdentity",
                image("chen-2.png").put("identity_id", chen),
                VerifyResult.class,
                null)
            .await();
    assertThat(verified.match()).isTrue();
    SearchResult searched =
        node.bus.call("searchIdentities", image("bruno-2.png"), SearchResult.class, null).await();
    assertThat(searched.faces().get(0).candidates().get(0).identityId()).isEqualTo(bruno);
    assertThatThrownBy(
            () ->
                node.bus
                    .call(
                        "getIdentity",
                        new JsonObject().put("identity_id", "idn_unknown000"),
                        Identity.class,
                        null)
                    .await())
        .isInstanceOfSatisfying(ImajinException.class, e -> assertThat(e.status()).isEqualTo(404));
  }

  @Test
  @Order(7)
  @DisplayName("info lists both face models with device and hash, and every operation as built")
  void info() {
    JsonObject info = node.expect("info", node.get("/v1/info"), 200);
    for (String id : List.of("starter/face-detector", "starter/face-embedder")) {
      JsonObject model =
          info.getJsonArray("models").stream()
              .map(o -> (JsonObject) o)
              .filter(m -> m.getString("id").equals(id))
              .findFirst()
              .orElseThrow();
      assertThat(model.getString("device")).isEqualTo("cpu");
      assertThat(model.getString("sha256")).matches("[0-9a-f]{64}");
    }
    assertThat(
            info.getJsonArray("operations").stream()
                .map(o -> (JsonObject) o)
                .filter(o -> !o.getBoolean("built"))
                .map(o -> o.getString("operation_id")))
        .isEmpty();
  }

  @Test
  @Order(8)
  @DisplayName("Identities, faces and embeddings outlive the service: a new instance finds them")
  void durable() {
    node.restart();
    JsonObject got = node.expect("getIdentity", node.get("/v1/identities/" + bruno), 200);
    assertThat(got.getInteger("face_count")).isEqualTo(2);
    assertThat(verify(alice, "alice-2.png").getBoolean("match")).isTrue();
    JsonArray candidates =
        search(image("bruno-2.png"))
            .getJsonArray("faces")
            .getJsonObject(0)
            .getJsonArray("candidates");
    assertThat(candidates.getJsonObject(0).getString("identity_id")).isEqualTo(bruno);
  }

  @Test
  @Order(9)
  @DisplayName("Deletion erases the embeddings: the identity is no longer found, got or verified")
  void deletes() {
    JsonObject deleted = node.expect("deleteIdentity", node.delete("/v1/identities/" + alice), 200);
    assertThat(deleted.getString("id")).isEqualTo(alice);
    assertThat(deleted.getInteger("faces_erased")).isEqualTo(2);
    node.expect("getIdentity", node.get("/v1/identities/" + alice), 404);
    node.expect(
        "verifyIdentity",
        node.post("/v1/identities/" + alice + "/verify", image("alice-2.png")),
        404);
    node.expect("deleteIdentity", node.delete("/v1/identities/" + alice), 404);
    JsonArray candidates =
        search(image("alice-2.png").put("threshold", 0.0))
            .getJsonArray("faces")
            .getJsonObject(0)
            .getJsonArray("candidates");
    assertThat(candidates)
        .extracting(c -> ((JsonObject) c).getString("identity_id"))
        .doesNotContain(alice);
    // no key of the identity is left in Redis
    var keys =
        node.context
            .redis()
            .send(
                io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.KEYS)
                    .arg("*" + alice + "*"))
            .await();
    assertThat(keys.size()).isZero();
    // its external ref is free again
    enrol(
        enrolBody("Alice again", "protected", "alice-herself", "alice-2.png")
            .put("external_ref", "crm-alice"));
    // and a restart does not bring the deleted one back
    node.restart();
    node.expect("getIdentity", node.get("/v1/identities/" + alice), 404);
  }
}
