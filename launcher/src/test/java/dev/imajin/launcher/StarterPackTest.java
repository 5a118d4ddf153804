package dev.imajin.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imajin.contracts.ServiceId;
import dev.imajin.inference.model.ModelEntry;
import dev.imajin.inference.model.ModelRegistry;
import dev.imajin.inference.model.ModelTask;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shipped starter pack ({@code models/starter}) on the whole platform, as {@code imajin run}
 * starts it: the registry finds all seven models with their digests, the diffusion service draws
 * what a caption asks for, the semantic service says so, and the aesthetic service ranks the clean
 * image above a degraded copy. The pixels are read here, without the pack's own classifiers.
 */
class StarterPackTest {
  private static final String CAPTION = "a large red circle in the middle on a blue background";

  private static Path models;
  private static LocalPlatform platform;
  private static byte[] image;
  private static JsonObject result;

  @BeforeAll
  static void start() throws Exception {
    models = LocalPlatform.models();
    platform = LocalPlatform.start(Set.of(), "models.roots=[" + models + "]");
    // the model services answer 503 until the GPU Boss has listed the node's devices
    for (ServiceId id : List.of(ServiceId.DIFFUSION, ServiceId.SEMANTIC, ServiceId.AESTHETIC)) {
      platform.awaitReady(id, 30);
    }
    JsonObject generated =
        ok(
            post(
                ServiceId.DIFFUSION,
                "/v1/generate",
                new JsonObject().put("prompt", CAPTION).put("seed", 7)));
    assertThat(generated.getString("model")).isEqualTo("starter-sd");
    result = generated.getJsonArray("images").getJsonObject(0).getJsonObject("image");
    image =
        Base64.getDecoder()
            .decode(
                generated
                    .getJsonArray("images")
                    .getJsonObject(0)
                    .getJsonObject("image")
                    .getString("b64"));
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void theRegistryFindsEveryModelOfThePackWithItsDigests() {
    ModelRegistry registry = ModelRegistry.scan(List.of(models));
    Map<String, ModelTask> tasks =
        registry.models().stream().collect(Collectors.toMap(ModelEntry::id, ModelEntry::task));
    assertThat(tasks)
        .containsEntry("starter-sd", ModelTask.TEXT_TO_IMAGE)
        .containsEntry("starter/semantic", ModelTask.IMAGE_TEXT_SIMILARITY)
        .containsEntry("starter/reward", ModelTask.IMAGE_REWARD)
        .containsEntry("starter/prohibited", ModelTask.IMAGE_CLASSIFICATION)
        .containsEntry("starter/age", ModelTask.AGE_ESTIMATION)
        .containsEntry("starter/face-detector", ModelTask.FACE_DETECTION)
        .containsEntry("starter/face-embedder", ModelTask.FACE_EMBEDDING);
    assertThat(registry.problems()).isEmpty();
  }

  @Test
  void theGeneratedImageShowsTheCaptionsShapeAndColours() throws IOException {
    assertRedCircleOnBlue(image);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ddim", "dpmpp_2m"})
  void theOtherSchedulersDrawItToo(String scheduler) throws IOException {
    JsonObject generated =
        ok(
            post(
                ServiceId.DIFFUSION,
                "/v1/generate",
                new JsonObject()
                    .put("prompt", CAPTION)
                    .put("seed", 7)
                    .put("scheduler", scheduler)));
    assertRedCircleOnBlue(
        Base64.getDecoder()
            .decode(
                generated
                    .getJsonArray("images")
                    .getJsonObject(0)
                    .getJsonObject("image")
                    .getString("b64")));
  }

  private static void assertRedCircleOnBlue(byte[] png) throws IOException {
    BufferedImage picture = ImageIO.read(new ByteArrayInputStream(png));
    assertThat(picture.getWidth()).isEqualTo(64);
    // a large circle in the middle: red across its centre, blue in every corner
    for (int[] p : new int[][] {{32, 32}, {26, 32}, {38, 32}, {32, 26}, {32, 38}}) {
      assertThat(nearest(picture.getRGB(p[0], p[1]))).as("pixel %s", List.of(p)).isEqualTo("red");
    }
    for (int[] p : new int[][] {{2, 2}, {61, 2}, {2, 61}, {61, 61}}) {
      assertThat(nearest(picture.getRGB(p[0], p[1]))).as("pixel %s", List.of(p)).isEqualTo("blue");
    }
  }

  @Test
  void theSemanticServiceSeesWhatWasAskedForAndNotWhatWasNot() {
    JsonObject result =
        ok(
            post(
                ServiceId.SEMANTIC,
                "/v1/validate",
                new JsonObject()
                    .put("image", inline(image))
                    .put("present", new JsonArray().add("a red circle").add("a blue background"))
                    .put("absent", new JsonArray().add("a green circle").add("a red star"))));
    assertThat(result.getString("model")).isEqualTo("starter/semantic");
    assertThat(result.getBoolean("passed")).as(result.encodePrettily()).isTrue();
    JsonObject scores =
        ok(
            post(
                ServiceId.SEMANTIC,
                "/v1/scores",
                new JsonObject()
                    .put("image", inline(image))
                    .put(
                        "texts",
                        new JsonArray().add("a circle").add("a square").add("a triangle"))));
    JsonArray s = scores.getJsonArray("scores");
    assertThat(s.getJsonObject(0).getDouble("score"))
        .isGreaterThan(0.5)
        .isGreaterThan(s.getJsonObject(1).getDouble("score"))
        .isGreaterThan(s.getJsonObject(2).getDouble("score"));
  }

  @Test
  void aGeneratedImageGoesBackAsItIsAndItsSizeFieldsAreHeldToTheFile() {
    assertThat(result.getInteger("width")).isEqualTo(64);
    JsonObject scores =
        ok(
            post(
                ServiceId.SEMANTIC,
                "/v1/scores",
                new JsonObject()
                    .put("image", result)
                    .put("texts", new JsonArray().add("a circle"))));
    assertThat(scores.getJsonArray("scores")).hasSize(1);
    HttpResponse<Buffer> wrong =
        post(
            ServiceId.AESTHETIC,
            "/v1/score",
            new JsonObject().put("prompt", CAPTION).put("image", result.copy().put("width", 65)));
    assertThat(wrong.statusCode()).as(wrong.bodyAsString()).isEqualTo(422);
    assertThat(wrong.bodyAsJsonObject().getString("detail"))
        .isEqualTo("image.width says 65, but the file is 64 wide");
  }

  @Test
  void theAestheticServiceRanksTheCleanImageAboveABlurredCopy() throws IOException {
    JsonObject ranked =
        ok(
            post(
                ServiceId.AESTHETIC,
                "/v1/rank",
                new JsonObject()
                    .put("prompt", CAPTION)
                    .put(
                        "candidates",
                        new JsonArray().add(inline(pixelated(image))).add(inline(image)))));
    assertThat(ranked.getString("reward_model")).isEqualTo("starter/reward");
    assertThat(ranked.getJsonArray("ranking").getJsonObject(0).getInteger("index")).isEqualTo(1);
  }

  private static String nearest(int rgb) {
    Map<String, int[]> palette =
        Map.of(
            "red", new int[] {220, 30, 30},
            "blue", new int[] {35, 70, 220},
            "green", new int[] {30, 170, 50},
            "white", new int[] {245, 245, 245},
            "black", new int[] {15, 15, 15},
            "purple", new int[] {140, 40, 180});
    int r = (rgb >> 16) & 0xff;
    int g = (rgb >> 8) & 0xff;
    int b = rgb & 0xff;
    String best = null;
    long bestDistance = Long.MAX_VALUE;
    for (var e : palette.entrySet()) {
      int[] c = e.getValue();
      long d =
          (long) (r - c[0]) * (r - c[0]) + (long) (g - c[1]) * (g - c[1]) + (b - c[2]) * (b - c[2]);
      if (d < bestDistance) {
        best = e.getKey();
        bestDistance = d;
      }
    }
    return best;
  }

  /** The image shrunk to 8x8 and blown up again, in 8-pixel blocks. */
  private static byte[] pixelated(byte[] png) throws IOException {
    BufferedImage in = ImageIO.read(new ByteArrayInputStream(png));
    BufferedImage out = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
    for (int by = 0; by < 64; by += 8) {
      for (int bx = 0; bx < 64; bx += 8) {
        long r = 0;
        long g = 0;
        long b = 0;
        for (int y = by; y < by + 8; y++) {
          for (int x = bx; x < bx + 8; x++) {
            int rgb = in.getRGB(x, y);
            r += (rgb >> 16) & 0xff;
            g += (rgb >> 8) & 0xff;
            b += rgb & 0xff;
          }
        }
        int mean = (int) (r / 64) << 16 | (int) (g / 64) << 8 | (int) (b / 64);
        for (int y = by; y < by + 8; y++) {
          for (int x = bx; x < bx + 8; x++) {
            out.setRGB(x, y, mean);
          }
        }
      }
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ImageIO.write(out, "png", bytes);
    return bytes.toByteArray();
  }

  private static JsonObject inline(byte[] png) {
    return LocalPlatform.inline(png);
  }

  private static HttpResponse<Buffer> post(ServiceId service, String path, JsonObject body) {
    return platform.post(service, path, body);
  }

  private static JsonObject ok(HttpResponse<Buffer> response) {
    return LocalPlatform.ok(response);
  }
}
