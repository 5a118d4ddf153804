package dev.imajin.moderator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imajin.moderator.pdq.Hash256;
import dev.imajin.moderator.pdq.Pdq;
import dev.imajin.runtime.testing.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.Random;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** PDQ hashing and hash banks over HTTP and the event bus, on a real Redis. */
class ModeratorVerticleTest {
  private static Vertx vertx;
  private static WebClient http;
  private static int port;

  @BeforeAll
  static void deploy() {
    System.setProperty("java.awt.headless", "true");
    vertx = Vertx.vertx();
    ModeratorVerticle verticle =
        new ModeratorVerticle(TestNodes.context(vertx, "moderator.max-import-hashes=50"));
    vertx.deployVerticle(verticle).await();
    port = verticle.actualPort();
    http = WebClient.create(vertx);
  }

  @AfterAll
  static void close() {
    vertx.close().await();
  }

  static String bankId() {
    return "b-" + UUID.randomUUID().toString().substring(0, 12);
  }

  static HttpResponse<Buffer> post(String path, JsonObject body) {
    return http.post(port, "localhost", path).sendJsonObject(body).await();
  }

  static HttpResponse<Buffer> get(String path) {
    return http.get(port, "localhost", path).send().await();
  }

  static JsonObject status(HttpResponse<Buffer> r, int status) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(status);
    return r.bodyAsJsonObject();
  }

  static String hex(Random rnd) {
    return Hash256.of(rnd.nextLong(), rnd.nextLong(), rnd.nextLong(), rnd.nextLong()).toHex();
  }

  /** The hex hash with the lowest {@code bits} bits flipped. */
  static String near(String hex, int bits) {
    Hash256 h = Hash256.fromHex(hex);
    long mask = bits == 64 ? -1L : (1L << bits) - 1;
    return Hash256.of(h.word(0), h.word(1), h.word(2), h.word(3) ^ mask).toHex();
  }

  static String createBank(String category) {
    String id = bankId();
    JsonObject bank =
        status(
            post(
                "/v1/banks",
                new JsonObject().put("id", id).put("category", category).put("description", "t")),
            201);
    assertThat(bank.getLong("hash_count")).isZero();
    return id;
  }

  static BufferedImage scene(int w, int h, long seed) {
    Random rnd = new Random(seed);
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(new Color(rnd.nextInt(256), rnd.nextInt(256), rnd.nextInt(256)));
    g.fillRect(0, 0, w, h);
    for (int i = 0; i < 12; i++) {
      g.setColor(new Color(rnd.nextInt(256), rnd.nextInt(256), rnd.nextInt(256)));
      g.fillOval(rnd.nextInt(w), rnd.nextInt(h), 10 + rnd.nextInt(w / 2), 10 + rnd.nextInt(h / 2));
    }
    g.dispose();
    return image;
  }

  static String png(BufferedImage image) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return Base64.getEncoder().encodeToString(out.toByteArray());
  }

  @Test
  @DisplayName("create, get, list and delete banks; duplicates 409, unknown banks 404")
  void banks() {
    String id = createBank("hate");
    assertThat(status(get("/v1/banks/" + id), 200).getString("category")).isEqualTo("hate");
    status(post("/v1/banks", new JsonObject().put("id", id).put("category", "hate")), 409);
    JsonArray banks = status(get("/v1/banks"), 200).getJsonArray("banks");
    assertThat(banks.stream().map(b -> ((JsonObject) b).getString("id"))).contains(id);
    status(get("/v1/banks/nope-" + id), 404);
    JsonObject deleted =
        status(http.delete(port, "localhost", "/v1/banks/" + id).send().await(), 200);
    assertThat(deleted.getLong("hashes_removed")).isZero();
    status(get("/v1/banks/" + id), 404);
    status(http.delete(port, "localhost", "/v1/banks/" + id).send().await(), 404);
  }

  @Test
  @DisplayName("add, remove and match hashes, nearest first, with labels and the threshold")
  void addRemoveMatch() {
    String id = createBank("violence/graphic");
    Random rnd = new Random(1);
    String a = hex(rnd);
    String b = hex(rnd);
    JsonObject added =
        status(
            post(
                "/v1/banks/" + id + "/hashes",
                new JsonObject()
                    .put(
                        "hashes",
                        new JsonArray()
                            .add(new JsonObject().put("hash", a).put("label", "first"))
                            .add(new JsonObject().put("hash", b.toUpperCase()))
                            .add(new JsonObject().put("hash", a).put("label", "again")))),
            200);
    assertThat(added.getLong("added")).isEqualTo(2);
    assertThat(added.getLong("unchanged")).isEqualTo(1);
    assertThat(added.getLong("hash_count")).isEqualTo(2);

    JsonObject match =
        status(
            post(
                "/v1/match/hash",
                new JsonObject().put("hash", near(a, 4)).put("banks", new JsonArray().add(id))),
            200);
    assertThat(match.getBoolean("matched")).isTrue();
    assertThat(match.getInteger("threshold")).isEqualTo(31);
    assertThat(match.getInteger("quality_floor")).isEqualTo(50);
    JsonObject first = match.getJsonArray("matches").getJsonObject(0);
    assertThat(first.getString("hash")).isEqualTo(a);
    assertThat(first.getInteger("distance")).isEqualTo(4);
    assertThat(first.getString("label")).isEqualTo("first");
    assertThat(first.getString("category")).isEqualTo("violence/graphic");
    assertThat(first.getString("variant")).isEqualTo("original");

    JsonObject tight =
        status(
            post(
                "/v1/match/hash",
                new JsonObject()
                    .put("hash", near(a, 32))
                    .put("threshold", 31)
                    .put("banks", new JsonArray().add(id))),
            200);
    assertThat(tight.getBoolean("matched")).isFalse();
    JsonObject edge =
        status(
            post(
                "/v1/match/hash",
                new JsonObject().put("hash", near(a, 31)).put("banks", new JsonArray().add(id))),
            200);
    assertThat(edge.getJsonArray("matches").getJsonObject(0).getInteger("distance")).isEqualTo(31);

    JsonObject lowQuality =
        status(
            post(
                "/v1/match/hash",
                new JsonObject()
                    .put("hash", a)
                    .put("quality", 49)
                    .put("banks", new JsonArray().add(id))),
            200);
    assertThat(lowQuality.getBoolean("below_quality_floor")).isTrue();
    assertThat(lowQuality.getJsonArray("matches")).isEmpty();

    JsonObject viaVariant =
        status(
            post(
                "/v1/match/hash",
                new JsonObject()
                    .put("hash", hex(rnd))
                    .put(
                        "variants",
                        new JsonArray()
                            .add(new JsonObject().put("variant", "rotate_90").put("hash", b)))
                    .put("banks", new JsonArray().add(id))),
            200);
    assertThat(viaVariant.getJsonArray("matches").getJsonObject(0).getString("variant"))
        .isEqualTo("rotate_90");

    JsonObject removed =
        status(
            post(
                "/v1/banks/" + id + "/hashes/remove",
                new JsonObject().put("hashes", new JsonArray().add(a).add(hex(rnd)))),
            200);
    assertThat(removed.getLong("removed")).isEqualTo(1);
    assertThat(removed.getLong("unchanged")).isEqualTo(1);
    assertThat(removed.getLong("hash_count")).isEqualTo(1);
    assertThat(
            status(
                    post(
                        "/v1/match/hash",
                        new JsonObject().put("hash", a).put("banks", new JsonArray().add(id))),
                    200)
                .getBoolean("matched"))
        .isFalse();
  }

  @Test
  @DisplayName("malformed hashes are 400s naming the field, unknown banks 404, and change nothing")
  void badInput() {
    String id = createBank("hate");
    Random rnd = new Random(2);
    String good = hex(rnd);
    JsonObject problem =
        status(
            post(
                "/v1/banks/" + id + "/hashes",
                new JsonObject()
                    .put(
                        "hashes",
                        new JsonArray()
                            .add(new JsonObject().put("hash", good))
                            .add(new JsonObject().put("hash", "abc")))),
            400);
    assertThat(problem.encode()).contains("hashes/1/hash");
    assertThat(status(get("/v1/banks/" + id), 200).getLong("hash_count")).isZero();
    status(
        post(
            "/v1/banks/nope-" + id + "/hashes",
            new JsonObject()
                .put("hashes", new JsonArray().add(new JsonObject().put("hash", good)))),
        404);
    JsonObject badMatch = status(post("/v1/match/hash", new JsonObject().put("hash", "zz")), 400);
    assertThat(badMatch.encode()).contains("hash");
    status(
        post(
            "/v1/match/hash",
            new JsonObject().put("hash", good).put("banks", new JsonArray().add("nope-" + id))),
        404);
  }

  @Test
  @DisplayName("import takes text/plain and JSON, labels after space or comma; a bad line is a 400")
  void importHashes() {
    String id = createBank("hate");
    Random rnd = new Random(3);
    String a = hex(rnd);
    String b = hex(rnd);
    String c = hex(rnd);
    String text =
        "# a comment\n\n" + a + " black star, 64x64\r\n" + b + ",on orange\n" + c + "\n" + a;
    HttpResponse<Buffer> plain =
        http.post(port, "localhost", "/v1/banks/" + id + "/hashes/import")
            .putHeader("Content-Type", "text/plain")
            .sendBuffer(Buffer.buffer(text))
            .await();
    JsonObject result = status(plain, 200);
    assertThat(result.getLong("added")).isEqualTo(3);
    assertThat(result.getLong("unchanged")).isEqualTo(1);
    JsonObject match =
        status(
            post(
                "/v1/match/hash",
                new JsonObject().put("hash", b).put("banks", new JsonArray().add(id))),
            200);
    assertThat(match.getJsonArray("matches").getJsonObject(0).getString("label"))
        .isEqualTo("on orange");
    JsonObject matchA =
        status(post("/v1/match/hash", new JsonObject().put("hash", a).put("threshold", 0)), 200);
    assertThat(matchA.getJsonArray("matches").getJsonObject(0).getString("label"))
        .isEqualTo("black star, 64x64");

    String d = hex(rnd);
    JsonObject bad =
        status(
            post(
                "/v1/banks/" + id + "/hashes/import",
                new JsonObject().put("text", d + "\n" + "xyz\n" + d + "x label\n")),
            400);
    assertThat(bad.encode()).contains("/line/2").contains("/line/3");
    assertThat(status(get("/v1/banks/" + id), 200).getLong("hash_count")).isEqualTo(3);

    StringBuilder many = new StringBuilder();
    for (int i = 0; i < 51; i++) {
      many.append(hex(rnd)).append('\n');
    }
    JsonObject tooMany =
        status(
            post(
                "/v1/banks/" + id + "/hashes/import",
                new JsonObject().put("text", many.toString())),
            413);
    assertThat(tooMany.getString("detail")).contains("moderator.max-import-hashes");
    assertThat(status(get("/v1/banks/" + id), 200).getLong("hash_count")).isEqualTo(3);
  }

  @Test
  @DisplayName("hashImage gives the PDQ of the pixels and the eight variants")
  void hashImage() throws Exception {
    BufferedImage image = scene(200, 150, 5);
    JsonObject pdq =
        status(
            post(
                "/v1/hash",
                new JsonObject()
                    .put("image", new JsonObject().put("b64", png(image)))
                    .put("dihedral", true)),
            200);
    Pdq.Result expected = Pdq.hash(image, false);
    assertThat(pdq.getString("hash")).isEqualTo(expected.hash().toHex());
    assertThat(pdq.getInteger("quality")).isEqualTo(expected.quality());
    assertThat(pdq.getJsonArray("variants")).hasSize(8);
    assertThat(pdq.getJsonArray("variants").getJsonObject(1).getString("variant"))
        .isEqualTo("rotate_90");
  }

  @Test
  @DisplayName("matchImage finds the image and, with dihedral, its rotation")
  void matchImage() throws Exception {
    String id = createBank("hate");
    BufferedImage image = scene(128, 128, 9);
    String hash = Pdq.hash(image, false).hash().toHex();
    status(
        post(
            "/v1/banks/" + id + "/hashes",
            new JsonObject()
                .put(
                    "hashes",
                    new JsonArray().add(new JsonObject().put("hash", hash).put("label", "x")))),
        200);
    JsonObject m =
        status(
            post(
                "/v1/match/image",
                new JsonObject()
                    .put(
                        "image",
                        new JsonObject().put("b64", png(image)).put("media_type", "image/png"))
                    .put("banks", new JsonArray().add(id))),
            200);
    assertThat(m.getBoolean("matched")).isTrue();
    assertThat(m.getJsonObject("pdq").getString("hash")).isEqualTo(hash);
    assertThat(m.getJsonArray("matches").getJsonObject(0).getInteger("distance")).isZero();

    BufferedImage rotated = new BufferedImage(128, 128, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 128; y++) {
      for (int x = 0; x < 128; x++) {
        rotated.setRGB(y, 127 - x, image.getRGB(x, y)); // 90 degrees counter-clockwise
      }
    }
    JsonObject plain =
        status(
            post(
                "/v1/match/image",
                new JsonObject()
                    .put("image", new JsonObject().put("b64", png(rotated)))
                    .put("banks", new JsonArray().add(id))),
            200);
    assertThat(plain.getBoolean("matched")).isFalse();
    JsonObject withVariants =
        status(
            post(
                "/v1/match/image",
                new JsonObject()
                    .put("image", new JsonObject().put("b64", png(rotated)))
                    .put("dihedral", true)
                    .put("banks", new JsonArray().add(id))),
            200);
    assertThat(withVariants.getBoolean("matched")).isTrue();
    JsonObject found = withVariants.getJsonArray("matches").getJsonObject(0);
    assertThat(found.getString("hash")).isEqualTo(hash);
    assertThat(found.getString("variant")).isEqualTo("rotate_270");
  }

  @Test
  @DisplayName("undecodable images are 422, images over the pixel limit 413 naming the key")
  void imageErrors() throws Exception {
    JsonObject broken =
        status(
            post(
                "/v1/hash",
                new JsonObject()
                    .put(
                        "image",
                        new JsonObject()
                            .put(
                                "b64",
                                Base64.getEncoder().encodeToString("not an image".getBytes())))),
            422);
    assertThat(broken.getString("detail")).startsWith("image");
    Vertx other = Vertx.vertx();
    try {
      ModeratorVerticle small =
          new ModeratorVerticle(
              TestNodes.context(
                  other,
                  "moderator.max-input-pixels=4096",
                  "http.max-body-bytes=65536",
                  "moderator.max-import-bytes=131072",
                  "moderator.max-import-hashes=100000"));
      other.deployVerticle(small).await();
      HttpResponse<Buffer> big =
          WebClient.create(other)
              .post(small.actualPort(), "localhost", "/v1/match/image")
              .sendJsonObject(
                  new JsonObject()
                      .put("image", new JsonObject().put("b64", png(scene(100, 100, 1)))))
              .await();
      assertThat(status(big, 413).getString("detail")).contains("moderator.max-input-pixels");
      // an import body may pass http.max-body-bytes up to moderator.max-import-bytes, not beyond
      String id = bankId();
      WebClient client = WebClient.create(other);
      status(
          client
              .post(small.actualPort(), "localhost", "/v1/banks")
              .sendJsonObject(new JsonObject().put("id", id).put("category", "hate"))
              .await(),
          201);
      StringBuilder text = new StringBuilder();
      Random rnd = new Random(8);
      while (text.length() <= 65536) {
        text.append(hex(rnd)).append('\n');
      }
      HttpResponse<Buffer> overHttpLimit =
          client
              .post(small.actualPort(), "localhost", "/v1/banks/" + id + "/hashes/import")
              .putHeader("Content-Type", "text/plain")
              .sendBuffer(Buffer.buffer(text.toString()))
              .await();
      assertThat(status(overHttpLimit, 200).getInteger("added")).isGreaterThan(1000);
      while (text.length() <= 131072) {
        text.append(hex(rnd)).append('\n');
      }
      HttpResponse<Buffer> tooBig =
          client
              .post(small.actualPort(), "localhost", "/v1/banks/" + id + "/hashes/import")
              .putHeader("Content-Type", "text/plain")
              .sendBuffer(Buffer.buffer(text.toString()))
              .await();
      assertThat(status(tooBig, 413).getString("detail")).contains("moderator.max-import-bytes");
      // every other operation keeps http.max-body-bytes
      HttpResponse<Buffer> bigJson =
          client
              .post(small.actualPort(), "localhost", "/v1/banks/" + id + "/hashes/remove")
              .sendJsonObject(
                  new JsonObject()
                      .put("hashes", new io.vertx.core.json.JsonArray().add(text.toString())))
              .await();
      assertThat(status(bigJson, 413).getString("detail")).contains("http.max-body-bytes");
    } finally {
      other.close().await();
    }
  }

  @Test
  @DisplayName("the operations answer on the event bus with the same bodies")
  void eventBus() {
    String id = bankId();
    vertx
        .eventBus()
        .request(
            "imajin.moderator.createBank", new JsonObject().put("id", id).put("category", "sexual"))
        .await();
    String h = hex(new Random(4));
    vertx
        .eventBus()
        .request(
            "imajin.moderator.importHashes",
            new JsonObject().put("bank_id", id).put("text", h + " bus label\n"))
        .await();
    JsonObject match =
        (JsonObject)
            vertx
                .eventBus()
                .request(
                    "imajin.moderator.matchHash",
                    new JsonObject().put("hash", near(h, 3)).put("banks", new JsonArray().add(id)))
                .await()
                .body();
    assertThat(match.getJsonArray("matches").getJsonObject(0).getString("label"))
        .isEqualTo("bus label");
    try {
      vertx
          .eventBus()
          .request("imajin.moderator.getBank", new JsonObject().put("bank_id", "nope-" + id))
          .await();
      throw new AssertionError("expected a 404");
    } catch (ReplyException e) {
      assertThat(e.failureCode()).isEqualTo(404);
    }
  }

  @Test
  @DisplayName("banks survive a restart, and a second node sees the first node's changes")
  void durableAndShared() throws Exception {
    String id = createBank("hate");
    Random rnd = new Random(6);
    String h = hex(rnd);
    status(
        post(
            "/v1/banks/" + id + "/hashes",
            new JsonObject().put("hashes", new JsonArray().add(new JsonObject().put("hash", h)))),
        200);
    Vertx second = Vertx.vertx();
    try {
      ModeratorVerticle node = new ModeratorVerticle(TestNodes.context(second));
      second.deployVerticle(node).await();
      WebClient client = WebClient.create(second);
      // loaded from Redis at start
      JsonObject loaded =
          client
              .post(node.actualPort(), "localhost", "/v1/match/hash")
              .sendJsonObject(new JsonObject().put("hash", h).put("banks", new JsonArray().add(id)))
              .await()
              .bodyAsJsonObject();
      assertThat(loaded.getBoolean("matched")).isTrue();
      // a change made on the first node reaches the second through the change stream
      String later = hex(rnd);
      status(
          post(
              "/v1/banks/" + id + "/hashes",
              new JsonObject()
                  .put("hashes", new JsonArray().add(new JsonObject().put("hash", later)))),
          200);
      boolean seen = false;
      for (int i = 0; i < 100 && !seen; i++) {
        seen =
            client
                .post(node.actualPort(), "localhost", "/v1/match/hash")
                .sendJsonObject(
                    new JsonObject().put("hash", later).put("banks", new JsonArray().add(id)))
                .await()
                .bodyAsJsonObject()
                .getBoolean("matched");
        if (!seen) {
          Thread.sleep(50);
        }
      }
      assertThat(seen).isTrue();
      // a delete on the second node reaches the first
      client.delete(node.actualPort(), "localhost", "/v1/banks/" + id).send().await();
      int status = 0;
      for (int i = 0; i < 100 && status != 404; i++) {
        status =
            post(
                    "/v1/match/hash",
                    new JsonObject().put("hash", h).put("banks", new JsonArray().add(id)))
                .statusCode();
        if (status != 404) {
          Thread.sleep(50);
        }
      }
      assertThat(status).isEqualTo(404);
    } finally {
      second.close().await();
    }
  }
}
