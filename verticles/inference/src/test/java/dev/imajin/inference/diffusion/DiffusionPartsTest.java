package dev.imajin.inference.diffusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxJavaType;
import dev.imajin.inference.scheduler.GaussianNoise;
import dev.imajin.inference.scheduler.Scheduler;
import dev.imajin.inference.scheduler.SchedulerConfig;
import dev.imajin.inference.scheduler.SchedulerKind;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
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
}
