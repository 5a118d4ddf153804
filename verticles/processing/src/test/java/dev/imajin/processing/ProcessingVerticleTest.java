package dev.imajin.processing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imajin.contracts.Addresses;
import dev.imajin.runtime.testing.TestNodes;
import io.vertx.core.Future;
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
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The processing service over HTTP and the event bus, checked in the pixels it returns. */
class ProcessingVerticleTest {
  private static Vertx vertx;
  private static WebClient http;
  private static int port;

  @BeforeAll
  static void deploy() {
    System.setProperty("java.awt.headless", "true");
    vertx = Vertx.vertx();
    ProcessingVerticle verticle = new ProcessingVerticle(TestNodes.context(vertx));
    vertx.deployVerticle(verticle).await();
    port = verticle.actualPort();
    http = WebClient.create(vertx);
  }

  @AfterAll
  static void close() {
    vertx.close().await();
  }

  static BufferedImage scene(int w, int h) {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(new Color(40, 60, 160));
    g.fillRect(0, 0, w, h);
    g.setColor(Color.RED);
    g.fillOval(w / 4, h / 4, w / 2, h / 2);
    g.dispose();
    return image;
  }

  static String b64(BufferedImage image, String format) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, format, out);
    return Base64.getEncoder().encodeToString(out.toByteArray());
  }

  static BufferedImage decode(JsonObject result) throws Exception {
    return ImageIO.read(
        new ByteArrayInputStream(Base64.getDecoder().decode(result.getString("b64"))));
  }

  static HttpResponse<Buffer> post(String path, JsonObject body) {
    return http.post(port, "localhost", path).sendJsonObject(body).await();
  }

  static JsonObject ok(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  static JsonObject image(String b64) {
    return new JsonObject().put("b64", b64);
  }

  @Test
  @DisplayName("resize fits, fills and stretches, and reports the result's size, format and bytes")
  void resize() throws Exception {
    String png = b64(scene(400, 200), "png");
    JsonObject fit =
        ok(post("/v1/resize", new JsonObject().put("image", image(png)).put("width", 100)))
            .getJsonObject("image");
    assertThat(fit.getInteger("width")).isEqualTo(100);
    assertThat(fit.getInteger("height")).isEqualTo(50);
    assertThat(fit.getString("media_type")).isEqualTo("image/png");
    assertThat(fit.getLong("bytes"))
        .isEqualTo(Base64.getDecoder().decode(fit.getString("b64")).length);
    BufferedImage pixels = decode(fit);
    assertThat(new Color(pixels.getRGB(50, 25)).getRed()).isGreaterThan(200);
    JsonObject fill =
        ok(post(
                "/v1/resize",
                new JsonObject()
                    .put("image", image(png))
                    .put("width", 64)
                    .put("height", 64)
                    .put("mode", "fill")
                    .put("output", new JsonObject().put("format", "jpeg"))))
            .getJsonObject("image");
    assertThat(
            List.of(
                fill.getInteger("width"), fill.getInteger("height"), fill.getString("media_type")))
        .containsExactly(64, 64, "image/jpeg");
    JsonObject exact =
        ok(post(
                "/v1/resize",
                new JsonObject()
                    .put("image", image(png))
                    .put("width", 30)
                    .put("height", 90)
                    .put("mode", "exact")))
            .getJsonObject("image");
    assertThat(decode(exact).getHeight()).isEqualTo(90);
  }

  @Test
  @DisplayName("crop, convert and thumbnail give the dimensions and formats asked")
  void geometryAndFormats() throws Exception {
    String png = b64(scene(300, 200), "png");
    JsonObject crop =
        ok(post(
                "/v1/crop",
                new JsonObject()
                    .put("image", image(png))
                    .put("x", 10)
                    .put("y", 20)
                    .put("width", 50)
                    .put("height", 40)))
            .getJsonObject("image");
    assertThat(decode(crop).getWidth()).isEqualTo(50);
    JsonObject jpeg =
        ok(post(
                "/v1/convert",
                new JsonObject().put("image", image(png)).put("format", "jpeg").put("quality", 75)))
            .getJsonObject("image");
    assertThat(jpeg.getString("media_type")).isEqualTo("image/jpeg");
    assertThat(Base64.getDecoder().decode(jpeg.getString("b64"))[0]).isEqualTo((byte) 0xFF);
    JsonObject thumb =
        ok(post(
                "/v1/thumbnail",
                new JsonObject().put("image", image(png)).put("max_size", 64).put("square", true)))
            .getJsonObject("image");
    assertThat(List.of(thumb.getInteger("width"), thumb.getInteger("height")))
        .containsExactly(64, 64);
    HttpResponse<Buffer> outside =
        post(
            "/v1/crop",
            new JsonObject()
                .put("image", image(png))
                .put("x", 290)
                .put("y", 0)
                .put("width", 50)
                .put("height", 10));
    assertThat(outside.statusCode()).isEqualTo(422);
    assertThat(outside.bodyAsJsonObject().getString("detail")).contains("not inside");
    assertThat(
            post("/v1/convert", new JsonObject().put("image", image(png)).put("format", "webp"))
                .statusCode())
        .isEqualTo(501);
  }

  @Test
  @DisplayName("Text is drawn where it was asked, and the answer says where")
  void overlayText() throws Exception {
    BufferedImage black = new BufferedImage(256, 128, BufferedImage.TYPE_INT_RGB);
    JsonObject result =
        ok(
            post(
                "/v1/text",
                new JsonObject()
                    .put("image", image(b64(black, "png")))
                    .put("text", "Hello imajin")
                    .put("color", "#FFFF00")
                    .put("font", new JsonObject().put("size", 24))
                    .put(
                        "position",
                        new JsonObject()
                            .put("anchor", "top_left")
                            .put("offset_x", 8)
                            .put("offset_y", 8))));
    JsonObject bounds = result.getJsonObject("bounds");
    assertThat(result.getJsonArray("lines")).containsExactly("Hello imajin");
    assertThat(bounds.getInteger("x")).isBetween(0, 12);
    assertThat(bounds.getInteger("y")).isBetween(0, 12);
    BufferedImage drawn = decode(result.getJsonObject("image"));
    int yellowInside = 0;
    int yellowOutside = 0;
    for (int y = 0; y < drawn.getHeight(); y++) {
      for (int x = 0; x < drawn.getWidth(); x++) {
        Color c = new Color(drawn.getRGB(x, y));
        if (c.getRed() > 200 && c.getGreen() > 200 && c.getBlue() < 60) {
          boolean inside =
              x >= bounds.getInteger("x")
                  && x < bounds.getInteger("x") + bounds.getInteger("width")
                  && y >= bounds.getInteger("y")
                  && y < bounds.getInteger("y") + bounds.getInteger("height");
          if (inside) {
            yellowInside++;
          } else {
            yellowOutside++;
          }
        }
      }
    }
    assertThat(yellowInside).isGreaterThan(50);
    assertThat(yellowOutside).isZero();
  }

  @Test
  @DisplayName(
      "The invisible mark survives JPEG 75 and a half-size resize, and is absent otherwise")
  void invisibleWatermark() throws Exception {
    String original = b64(scene(256, 256), "png");
    JsonObject embedded =
        ok(
            post(
                "/v1/watermark/embed",
                new JsonObject()
                    .put("image", image(original))
                    .put("key", "correct horse battery")));
    assertThat(embedded.getDouble("psnr")).isGreaterThan(38);
    String marked = embedded.getJsonObject("image").getString("b64");
    JsonObject half =
        ok(
            post(
                "/v1/resize",
                new JsonObject()
                    .put("image", image(marked))
                    .put("width", 128)
                    .put("output", new JsonObject().put("format", "jpeg").put("quality", 75))));
    String attacked = half.getJsonObject("image").getString("b64");
    assertThat(detect(attacked, "correct horse battery").getBoolean("present")).isTrue();
    assertThat(detect(attacked, "wrong horse battery").getBoolean("present")).isFalse();
    assertThat(detect(original, "correct horse battery").getBoolean("present")).isFalse();
  }

  private static JsonObject detect(String b64, String key) {
    return ok(
        post("/v1/watermark/detect", new JsonObject().put("image", image(b64)).put("key", key)));
  }

  @Test
  @DisplayName("Metadata written as PNG text chunks reads back, also from a raw body")
  void metadata() throws Exception {
    String png = b64(scene(64, 64), "png");
    JsonObject parameters =
        new JsonObject()
            .put("prompt", "a red circle on a blue background")
            .put("negative_prompt", "blurry")
            .put("seed", 42)
            .put("steps", 20)
            .put("guidance", 7.5)
            .put("scheduler", "euler")
            .put("width", 64)
            .put("height", 64);
    String written =
        ok(post(
                "/v1/metadata/write",
                new JsonObject()
                    .put("image", image(png))
                    .put("parameters", parameters)
                    .put(
                        "chunks",
                        new JsonArray()
                            .add(
                                new JsonObject()
                                    .put("keyword", "Title")
                                    .put("text", "Ein Kreis")))))
            .getJsonObject("image")
            .getString("b64");
    JsonObject read = ok(post("/v1/metadata/read", new JsonObject().put("image", image(written))));
    assertThat(read.getJsonObject("parameters")).isEqualTo(parameters);
    assertThat(read.getInteger("width")).isEqualTo(64);
    assertThat(read.getJsonArray("chunks").stream().map(c -> ((JsonObject) c).getString("keyword")))
        .contains("imajin:parameters", "parameters", "Title");
    JsonObject raw =
        ok(
            http.post(port, "localhost", "/v1/metadata/read")
                .putHeader("Content-Type", "application/octet-stream")
                .sendBuffer(Buffer.buffer(Base64.getDecoder().decode(written)))
                .await());
    assertThat(raw).isEqualTo(read);
  }

  @Test
  @DisplayName("The same operations answer on the event bus with plain JSON")
  void overTheBus() throws Exception {
    JsonObject reply =
        (JsonObject)
            vertx
                .eventBus()
                .request(
                    Addresses.Processing.THUMBNAIL,
                    new JsonObject()
                        .put("image", image(b64(scene(100, 50), "png")))
                        .put("max_size", 20))
                .await()
                .body();
    assertThat(reply.getJsonObject("image").getInteger("width")).isEqualTo(20);
    try {
      vertx
          .eventBus()
          .request(
              Addresses.Processing.THUMBNAIL,
              new JsonObject().put("image", image("R0lGODlhAQABAAAAACw=")))
          .await();
    } catch (ReplyException e) {
      assertThat(e.failureCode()).isEqualTo(422);
      assertThat(new JsonObject(e.getMessage()).getString("detail")).contains("GIF");
      return;
    }
    throw new AssertionError("a GIF was accepted");
  }

  @Test
  @DisplayName(
      "Bombs, truncated files and unknown formats sent together get 4xx; the service stays healthy")
  void bombsConcurrently() throws Exception {
    String bomb = Base64.getEncoder().encodeToString(TestImages.pngHeaderOnly(30_000, 30_000));
    byte[] real = Base64.getDecoder().decode(b64(scene(256, 256), "png"));
    String truncated =
        Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(real, real.length / 2));
    String unknown = Base64.getEncoder().encodeToString("GIF89a not really".getBytes());
    List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      String body = i % 3 == 0 ? bomb : i % 3 == 1 ? truncated : unknown;
      sent.add(
          http.post(port, "localhost", "/v1/resize")
              .sendJsonObject(new JsonObject().put("image", image(body)).put("width", 10)));
    }
    Future.all(sent).await();
    for (int i = 0; i < sent.size(); i++) {
      HttpResponse<Buffer> response = sent.get(i).result();
      assertThat(response.statusCode())
          .as(response.bodyAsString())
          .isEqualTo(i % 3 == 0 ? 413 : 422);
      assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
    }
    assertThat(http.get(port, "localhost", "/health/ready").send().await().statusCode())
        .isEqualTo(200);
    assertThat(
            post("/v1/resize", new JsonObject().put("image", image("not base64!")).put("width", 10))
                .statusCode())
        .isEqualTo(400);
  }
}
