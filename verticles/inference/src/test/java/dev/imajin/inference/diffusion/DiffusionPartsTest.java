package dev.imajin.inference.diffusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxJavaType;
import dev.imajin.inference.model.DiffusionLayout;
import dev.imajin.inference.scheduler.GaussianNoise;
import dev.imajin.inference.scheduler.Scheduler;
import dev.imajin.inference.scheduler.SchedulerConfig;
import dev.imajin.inference.scheduler.SchedulerKind;
import dev.imajin.inference.testing.SdVariant;
import dev.imajin.inference.testing.SdVariant.Family;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@DisplayName("Diffusion pipeline parts")
class DiffusionPartsTest {

  @Test
  @DisplayName("Batch noise gives image i the draws of GaussianNoise(seed + i), fill after fill")
  void batchNoise() {
    BatchNoise batch = new BatchNoise(10, 3);
    float[] first = new float[3 * 5];
    float[] second = new float[3 * 4];
    batch.fill(first);
    batch.fill(second);
    for (int i = 0; i < 3; i++) {
      GaussianNoise alone = new GaussianNoise(10 + i);
      float[] a = new float[5];
      float[] b = new float[4];
      alone.fill(a);
      alone.fill(b);
      assertThat(Arrays.copyOfRange(first, 5 * i, 5 * i + 5)).containsExactly(a);
      assertThat(Arrays.copyOfRange(second, 4 * i, 4 * i + 4)).containsExactly(b);
    }
  }

  @Test
  @DisplayName("Pixels to [−1, 1] planes and back are lossless")
  void pixelRoundTrip() {
    BufferedImage image = Images.picture(40, 24);
    float[] planes = Pixels.toPlanes(image);

    assertThat(planes).hasSize(3 * 40 * 24);
    assertThat(planes[0]).isBetween(-1f, 1f);
    assertThat(Images.rgb(Pixels.fromPlanes(planes, 0, 40, 24))).isEqualTo(Images.rgb(image));
  }

  @Test
  @DisplayName("The mask is feathered by a Gaussian blur and averaged down to latent pixels")
  void mask() {
    float[] mask = Pixels.mask(Images.leftMask(32, 16, 16), 32, 16, 2);
    float[] latent = Pixels.downsample(mask, 32, 16, 8);

    assertThat(mask[0]).isEqualTo(1f, within(1e-6f));
    assertThat(mask[31]).isEqualTo(0f, within(1e-6f));
    assertThat(mask[15]).isBetween(0.5f, 0.8f);
    assertThat(mask[16]).isBetween(0.2f, 0.5f);
    assertThat(latent).hasSize(4 * 2);
    assertThat(latent[0]).isGreaterThan(0.9f);
    assertThat(latent[1]).isBetween(0.5f, 1f);
    assertThat(latent[3]).isLessThan(0.1f);
  }

  @Test
  @DisplayName("Compositing gives the original where the mask is 0 and the result where it is 1")
  void composite() {
    BufferedImage a = Images.picture(16, 8);
    BufferedImage b = Pixels.fromPlanes(new float[3 * 16 * 8], 0, 16, 8);
    float[] mask = Pixels.mask(Images.leftMask(16, 8, 8), 16, 8, 0);
    BufferedImage out = Pixels.composite(b, a, mask);

    assertThat(Images.difference(out, b, 0, 8)).isZero();
    assertThat(Images.difference(out, a, 8, 16)).isZero();
  }

  @Test
  @DisplayName("The latent preview maps zero latents to mid grey (SD) or the bias (SDXL)")
  void preview() {
    float[] zeros = new float[4 * 6 * 2];
    BufferedImage sd = LatentPreview.of(false).render(zeros, 0, 6, 2);
    BufferedImage xl = LatentPreview.of(true).render(zeros, 0, 6, 2);

    assertThat(sd.getWidth()).isEqualTo(6);
    assertThat(sd.getHeight()).isEqualTo(2);
    assertThat(sd.getRGB(3, 1) & 0xffffff).isEqualTo(0x808080);
    int rgb = xl.getRGB(0, 0);
    assertThat((rgb >> 16) & 0xff).isEqualTo(Math.round((1.1084f / 2) * 255));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(
      value = OnnxJavaType.class,
      names = {"FLOAT", "FLOAT16"})
  @DisplayName("A pinned tensor writes (divided) and reads back floats of its declared type")
  void pinned(OnnxJavaType type) throws Exception {
    try (PinnedTensor t = PinnedTensor.allocate(SdFixture.ENV, type, new long[] {2, 3}, "test")) {
      float[] in = {1f, 2f, 3f, -4f, 0.5f, 8f};
      t.write(0, in, 0, 3, 1f);
      t.write(3, in, 3, 3, 2f);
      float[] out = new float[6];
      t.read(0, out, 0, 6);

      assertThat(out).containsExactly(1f, 2f, 3f, -2f, 0.25f, 4f);
      assertThat(t.tensor().getInfo().type).isEqualTo(type);
    }
  }

  @Test
  @DisplayName(
      "The inpainting blend keeps the model's latents inside the mask and ends on the image's"
          + " outside it")
  void latentBlend() {
    float[] original = {1, 2, 3, 4, 5, 6, 7, 8};
    float[] noise = {1, 1, 1, 1, 1, 1, 1, 1};
    float[] mask = {1, 0};
    Scheduler scheduler =
        Scheduler.create(
            SchedulerConfig.defaults(SchedulerKind.EULER),
            SchedulerKind.EULER,
            3,
            new GaussianNoise(0));
    LatentBlend blend = new LatentBlend(original, noise, mask);
    float[] x = {9, 9, 9, 9, 9, 9, 9, 9};
    blend.apply(scheduler, x, 0, 3);
    float sigma = scheduler.sigma(1);

    assertThat(x[0]).isEqualTo(9f);
    assertThat(x[1]).isEqualTo(2 + sigma);
    blend.apply(scheduler, x, 2, 3);
    assertThat(x).containsExactly(9, 2, 9, 4, 9, 6, 9, 8);
  }

  @Test
  @DisplayName(
      "A VAE config with latents_mean and latents_std decodes latents·std/sf + mean, and encodes"
          + " the inverse")
  void latentsMeanAndStd(@TempDir Path dir) throws Exception {
    try (SdFixture f = SdFixture.open(dir, SdVariant.optimum1_24(Family.SD15))) {
      Map<String, JsonObject> configs = new LinkedHashMap<>(f.layout.configs());
      configs.put(
          "vae_decoder",
          configs
              .get("vae_decoder")
              .put("latents_mean", new JsonArray(List.of(0.5, -0.25, 0.1, 0)))
              .put("latents_std", new JsonArray(List.of(2, 0.5, 1, 4))));
      DiffusionLayout l = f.layout;
      DiffusionLayout shifted =
          new DiffusionLayout(
              l.folder(),
              l.kind(),
              l.pipelineClass(),
              l.textEncoder(),
              l.textEncoder2(),
              l.unet(),
              l.vaeEncoder(),
              l.vaeDecoder(),
              l.tokenizer(),
              l.tokenizer2(),
              l.schedulerConfig(),
              configs,
              l.scalingFactor(),
              l.sampleSize(),
              l.forceZerosForEmptyPrompt(),
              l.warnings());
      Vae plain = Vae.of(f.sessions.get("vae_decoder"), f.sessions.get("vae_encoder"), l);
      Vae withStats = Vae.of(f.sessions.get("vae_decoder"), f.sessions.get("vae_encoder"), shifted);
      float sf = (float) l.scalingFactor();
      float[] mean = {0.5f, -0.25f, 0.1f, 0f};
      float[] std = {2f, 0.5f, 1f, 4f};
      float[] z = new float[4 * 64];
      new GaussianNoise(3).fill(z);
      float[] equivalent = new float[z.length];
      for (int i = 0; i < z.length; i++) {
        equivalent[i] = z[i] * std[i / 64] + mean[i / 64] * sf;
      }

      BufferedImage a = withStats.decode(SdFixture.ENV, z, 0, 64, 64);
      BufferedImage b = plain.decode(SdFixture.ENV, equivalent, 0, 64, 64);
      assertThat(Images.difference(a, b, 0, 64)).isLessThan(0.01);

      float[] pixels = Pixels.toPlanes(Images.picture(64, 64));
      float[] encoded = withStats.encode(SdFixture.ENV, pixels, 64, 64, 1, null);
      float[] plainEncoded = plain.encode(SdFixture.ENV, pixels, 64, 64, 1, null);
      for (int i = 0; i < encoded.length; i++) {
        assertThat(encoded[i] * std[i / 64] + mean[i / 64] * sf)
            .isCloseTo(plainEncoded[i], within(1e-4f));
      }
    }
  }
}
