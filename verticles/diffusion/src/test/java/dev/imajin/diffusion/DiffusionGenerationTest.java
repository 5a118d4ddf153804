package dev.imajin.diffusion;

import static dev.imajin.diffusion.DiffusionNode.ok;
import static dev.imajin.diffusion.DiffusionNode.problem;
import static dev.imajin.inference.testing.SdVariant.Family.LCM;
import static dev.imajin.inference.testing.SdVariant.Family.SD15;
import static dev.imajin.inference.testing.SdVariant.Family.SD21;
import static dev.imajin.inference.testing.SdVariant.Family.SDXL;
import static dev.imajin.inference.testing.SdVariant.Family.SDXL_TURBO;
import static dev.imajin.inference.testing.SdVariant.Family.SD_TURBO;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imajin.contracts.Addresses;
import dev.imajin.contracts.ServiceId;
import dev.imajin.contracts.common.JobEvent;
import dev.imajin.contracts.diffusion.GenerateRequest;
import dev.imajin.contracts.diffusion.GenerationResult;
import dev.imajin.inference.testing.SdVariant;
import dev.imajin.runtime.ServiceClient;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Generation end to end: every exporter's layout, reproducible bytes, progress, image inputs. */
class DiffusionGenerationTest {
  @TempDir static Path models;
  private static DiffusionNode node;

  static final Map<String, SdVariant> VARIANTS =
      Map.of(
          "sd15-optimum", SdVariant.optimum1_24(SD15),
          "sd15-optimum16", SdVariant.optimum1_6(SD15),
          "sd15-script", SdVariant.diffusersScriptInt64(SD15),
          "sd21-script", SdVariant.diffusersScript(SD21),
          "sdxl-optimum", SdVariant.optimum1_24(SDXL),
          "lcm-optimum", SdVariant.optimum1_24(LCM),
          "sd-turbo", SdVariant.optimum1_24(SD_TURBO),
          "sdxl-turbo", SdVariant.optimum1_24(SDXL_TURBO),
          "sd15-olive", SdVariant.olive(SD15),
          "sdxl-olive", SdVariant.olive(SDXL));

  @BeforeAll
  static void start() throws Exception {
    for (var variant : VARIANTS.entrySet()) {
      DiffusionNode.model(models, variant.getKey(), variant.getValue());
    }
    manifest("turbo-manifest", null);
    manifest("tampered", "ab".repeat(32));
    node =
        DiffusionNode.start(
            models, "diffusion.max-input-pixels=4096", "diffusion.max-images-per-request=4");
  }

  /** An SD-Turbo export with an imajin-model.yaml; {@code unetSha256} null pins the real one. */
  static void manifest(String id, String unetSha256) throws Exception {
    Path folder =
        DiffusionNode.model(
            models,
            id,
            SdVariant.optimum1_24(SD_TURBO).withUnetWeights(SdVariant.WeightsFile.INLINE));
    String sha =
        unetSha256 != null
            ? unetSha256
            : DiffusionModelsTest.sha256(folder.resolve("unet/model.onnx"));
    java.nio.file.Files.writeString(
        folder.resolve("imajin-model.yaml"),
        """
        id: %s
        task: text-to-image
        family: sd-turbo
        license: Apache-2.0
        tokenizer: tokenizer
        files:
          text_encoder: {path: text_encoder/model.onnx}
          unet: {path: unet/model.onnx, sha256: %s}
          vae_encoder: {path: vae_encoder/model.onnx}
          vae_decoder: {path: vae_decoder/model.onnx}
        """
            .formatted(id, sha));
  }

  @Test
  @DisplayName("A manifest names the family: a Turbo model defaults to one step without guidance")
  void manifestModels() {
    JsonObject turbo = ok(node.get("/v1/models/turbo-manifest"));
    assertThat(turbo.getString("layout")).isEqualTo("manifest");
    assertThat(turbo.getString("variant")).isEqualTo("turbo");
    assertThat(turbo.getString("license")).isEqualTo("Apache-2.0");
    assertThat(turbo.getInteger("default_steps")).isEqualTo(1);
    JsonObject result =
        ok(
            node.post(
                "/v1/generate",
                new JsonObject()
                    .put("model", "turbo-manifest")
                    .put("prompt", "a cat")
                    .put("width", 64)
                    .put("height", 64)));
    assertThat(result.getInteger("steps")).isEqualTo(1);
    assertThat(result.getDouble("guidance")).isEqualTo(0.0);
    assertThat(result.getLong("seed")).isBetween(0L, 4_294_967_295L);
    assertThat(problem(node.post("/v1/models/tampered/load", null), 422).getString("detail"))
        .contains("unet/model.onnx")
        .contains("does not match its sha256");
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  static Stream<String> models() {
    return VARIANTS.keySet().stream().sorted();
  }

  static JsonObject txt2img(String model, long seed) {
    return new JsonObject()
        .put("model", model)
        .put("prompt", "a red circle on a blue background")
        .put("negative_prompt", "photo")
        .put("width", 64)
        .put("height", 64)
        .put("steps", 2)
        .put("seed", seed);
  }

  static BufferedImage png(JsonObject image) throws Exception {
    assertThat(image.getString("media_type")).isEqualTo("image/png");
    byte[] bytes = Base64.getDecoder().decode(image.getString("b64"));
    assertThat(image.getLong("bytes")).isEqualTo(bytes.length);
    return ImageIO.read(new ByteArrayInputStream(bytes));
  }

  @ParameterizedTest
  @MethodSource("models")
  @DisplayName(
      "Every export generates, and the answer says how: seed, scheduler, hashes, device, timings")
  void generatesWithEveryExport(String model) throws Exception {
    var response = node.post("/v1/generate", txt2img(model, 7));
    JsonObject result = ok(response);
    node.valid("generate", response);
    assertThat(result.getString("mode")).isEqualTo("txt2img");
    assertThat(result.getString("model")).isEqualTo(model);
    assertThat(result.getLong("seed")).isEqualTo(7);
    assertThat(result.getString("device")).isEqualTo("cpu");
    assertThat(result.getInteger("steps")).isEqualTo(2);
    assertThat(result.getString("scheduler")).isNotBlank();
    assertThat(result.getJsonArray("model_hashes"))
        .allMatch(c -> ((JsonObject) c).getString("sha256").matches("[0-9a-f]{64}"))
        .anyMatch(c -> "unet".equals(((JsonObject) c).getString("name")));
    JsonObject timings = result.getJsonObject("timings");
    for (String phase : List.of("queue_ms", "encode_ms", "denoise_ms", "decode_ms", "total_ms")) {
      assertThat(timings.getDouble(phase)).as(phase).isNotNull().isGreaterThanOrEqualTo(0);
    }
    JsonObject image = result.getJsonArray("images").getJsonObject(0);
    assertThat(image.getLong("seed")).isEqualTo(7);
    BufferedImage pixels = png(image.getJsonObject("image"));
    assertThat(List.of(pixels.getWidth(), pixels.getHeight())).containsExactly(64, 64);
  }

  @Test
  @DisplayName("The same seed gives the same bytes; image i of a request is image 0 of seed + i")
  void sameSeedSameBytes() {
    JsonObject two = txt2img("sd15-optimum", 42).put("n", 2);
    JsonArray first = ok(node.post("/v1/generate", two)).getJsonArray("images");
    JsonArray again = ok(node.post("/v1/generate", two)).getJsonArray("images");
    assertThat(b64(again, 0)).isEqualTo(b64(first, 0));
    assertThat(b64(again, 1)).isEqualTo(b64(first, 1));
    assertThat(b64(first, 1)).isNotEqualTo(b64(first, 0));
    assertThat(first.getJsonObject(1).getLong("seed")).isEqualTo(43);
    JsonArray alone =
        ok(node.post("/v1/generate", txt2img("sd15-optimum", 43))).getJsonArray("images");
    assertThat(b64(alone, 0)).isEqualTo(b64(first, 1));
    JsonArray other =
        ok(node.post("/v1/generate", txt2img("sd15-optimum", 44))).getJsonArray("images");
    assertThat(b64(other, 0)).isNotEqualTo(b64(alone, 0));
  }

  private static String b64(JsonArray images, int i) {
    return images.getJsonObject(i).getJsonObject("image").getString("b64");
  }

  @Test
  @DisplayName(
      "With progress_id, every step of every image is published, with previews every k steps")
  void publishesProgress() {
    List<JobEvent> events = new CopyOnWriteArrayList<>();
    MessageConsumer<JobEvent> consumer =
        node.vertx
            .eventBus()
            .consumer(Addresses.progress("progress-1234"), m -> events.add(m.body()));
    consumer.completion().await();
    try {
      ServiceClient client = new ServiceClient(node.vertx, ServiceId.DIFFUSION, 60_000);
      GenerationResult result =
          client
              .call(
                  "generate",
                  new GenerateRequest(
                      "sd15-optimum",
                      "a blue star",
                      null,
                      64,
                      64,
                      4,
                      7.5,
                      null,
                      5L,
                      2,
                      2,
                      null,
                      "progress-1234"),
                  GenerationResult.class,
                  null)
              .await();
      assertThat(result.images()).hasSize(2);
      node.waitUntil(() -> events.size() == 8, 5_000);
    } finally {
      consumer.unregister();
    }
    assertThat(events).allMatch(e -> e.type() == JobEvent.Type.DIFFUSION_STEP);
    assertThat(events).allMatch(e -> e.jobId().equals("progress-1234"));
    assertThat(events.stream().map(e -> e.step() + "/" + e.candidate()))
        .containsExactly("1/0", "1/1", "2/0", "2/1", "3/0", "3/1", "4/0", "4/1");
    assertThat(events)
        .allMatch(e -> e.totalSteps() == 4 && e.timestep() != null && e.sigma() != null);
    assertThat(events.stream().filter(e -> e.preview() != null).map(JobEvent::step))
        .containsExactly(2, 2, 4, 4);
    assertThat(events.get(1).preview()).isNull();
    assertThat(events.get(2).preview().width()).isEqualTo(8);
    assertThat(events.stream().map(JobEvent::id).distinct()).hasSize(8);
  }

  static String pngB64(BufferedImage image) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return Base64.getEncoder().encodeToString(out.toByteArray());
  }

  static BufferedImage scene(int size, boolean mask) {
    BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(mask ? Color.BLACK : new Color(40, 60, 160));
    g.fillRect(0, 0, size, size);
    g.setColor(mask ? Color.WHITE : Color.RED);
    g.fillOval(size / 4, size / 4, size / 2, size / 2);
    g.dispose();
    return image;
  }

  @Test
  @DisplayName("img2img and inpaint start from the image; inputs are checked before decoding")
  void imageInputs() throws Exception {
    String image = pngB64(scene(64, false));
    JsonObject img2img =
        ok(
            node.post(
                "/v1/img2img",
                new JsonObject()
                    .put("model", "sd15-optimum")
                    .put("prompt", "a red circle")
                    .put("image", new JsonObject().put("b64", image))
                    .put("strength", 0.5)
                    .put("steps", 4)
                    .put("seed", 3)));
    assertThat(img2img.getString("mode")).isEqualTo("img2img");
    assertThat(img2img.getDouble("strength")).isEqualTo(0.5);
    assertThat(
            png(img2img.getJsonArray("images").getJsonObject(0).getJsonObject("image")).getWidth())
        .isEqualTo(64);
    JsonObject inpaint =
        ok(
            node.post(
                "/v1/inpaint",
                new JsonObject()
                    .put("model", "sdxl-optimum")
                    .put("prompt", "a blue star")
                    .put("image", new JsonObject().put("b64", image))
                    .put("mask", new JsonObject().put("b64", pngB64(scene(64, true))))
                    .put("steps", 2)
                    .put("seed", 3)
                    .put("output_format", "jpeg")));
    assertThat(
            inpaint
                .getJsonArray("images")
                .getJsonObject(0)
                .getJsonObject("image")
                .getString("media_type"))
        .isEqualTo("image/jpeg");

    JsonObject tooBig = img2imgWith(pngB64(scene(128, false)));
    assertThat(problem(node.checked("img2img", "/v1/img2img", tooBig), 413).getString("detail"))
        .contains("128x128")
        .contains("diffusion.max-input-pixels");
    assertThat(
            problem(
                    node.checked("img2img", "/v1/img2img", img2imgWith("R0lGODlhAQABAAAAACw=")),
                    422)
                .getString("detail"))
        .contains("GIF");
    assertThat(
            problem(node.checked("img2img", "/v1/img2img", img2imgWith("not base64!")), 400)
                .getString("detail"))
        .contains("base64");
    JsonObject wrongMask =
        new JsonObject()
            .put("model", "sd15-optimum")
            .put("prompt", "x")
            .put("image", new JsonObject().put("b64", image))
            .put("mask", new JsonObject().put("b64", pngB64(scene(56, true))));
    assertThat(problem(node.checked("inpaint", "/v1/inpaint", wrongMask), 422).getString("detail"))
        .contains("mask is 56x56 but image is 64x64");
  }

  private static JsonObject img2imgWith(String b64) {
    return new JsonObject()
        .put("model", "sd15-optimum")
        .put("prompt", "a red circle")
        .put("image", new JsonObject().put("b64", b64));
  }

  @Test
  @DisplayName(
      "Requests over the model's limits are 422s naming the limit; unknown models 404; WebP 501")
  void refusals() {
    assertThat(
            problem(
                    node.checked(
                        "generate", "/v1/generate", txt2img("sd15-optimum", 1).put("width", 2048)),
                    422)
                .getString("detail"))
        .isEqualTo("width 2048 is over model 'sd15-optimum''s max_size 1024x1024");
    assertThat(
            problem(
                    node.checked(
                        "generate", "/v1/generate", txt2img("sd15-optimum", 1).put("n", 5)),
                    422)
                .getString("detail"))
        .contains("diffusion.max-images-per-request");
    assertThat(
            problem(
                    node.post("/v1/generate", txt2img("sd15-optimum", 1).put("scheduler", "lcm")),
                    422)
                .getString("detail"))
        .contains("does not run scheduler lcm");
    assertThat(
            problem(node.checked("generate", "/v1/generate", txt2img("no-such-model", 1)), 404)
                .getString("detail"))
        .isEqualTo("model 'no-such-model' does not exist");
    assertThat(
            problem(
                    node.post(
                        "/v1/generate", txt2img("sd15-optimum", 1).put("output_format", "webp")),
                    501)
                .getString("detail"))
        .contains("WebP");
    problem(
        node.checked("generate", "/v1/generate", txt2img("sd15-optimum", 1).put("width", 100)),
        400);
  }

  @Test
  @DisplayName("Without a model, the first text-to-image model of the registry runs")
  void defaultModel() {
    JsonObject result =
        ok(
            node.post(
                "/v1/generate",
                new JsonObject()
                    .put("prompt", "a cat")
                    .put("width", 64)
                    .put("height", 64)
                    .put("steps", 1)
                    .put("seed", 1)));
    assertThat(result.getString("model")).isEqualTo("lcm-optimum");
  }
}
