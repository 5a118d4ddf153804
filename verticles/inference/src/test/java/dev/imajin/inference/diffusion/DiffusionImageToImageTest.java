package dev.imajin.inference.diffusion;

import static dev.imajin.inference.testing.SdVariant.Family.LCM;
import static dev.imajin.inference.testing.SdVariant.Family.SD15;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtSession;
import dev.imajin.contracts.ImajinException;
import dev.imajin.inference.scheduler.SchedulerKind;
import dev.imajin.inference.testing.SdVariant;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@DisplayName("Diffusion pipeline: image-to-image and inpainting")
class DiffusionImageToImageTest {
  @TempDir Path dir;

  private final BufferedImage start = Images.picture(64, 64);

  @ParameterizedTest(name = "{0}")
  @EnumSource(
      value = SchedulerKind.class,
      names = {"EULER", "EULER_ANCESTRAL", "DDIM", "DPMPP_2M"})
  @DisplayName("Strength s over N steps runs the last ⌊N·s⌋ steps of the schedule")
  void strengthSkipsSteps(SchedulerKind kind) throws Exception {
    try (SdFixture f = SdFixture.open(dir, SdVariant.optimum1_24(SD15))) {
      List<Float> calls = new ArrayList<>();
      List<StepEvent> events = new ArrayList<>();
      DiffusionPipeline pipeline = f.pipeline((shape, t) -> calls.add(t));
      pipeline.generate(
          RequestBuilder.txt2img().steps(10).scheduler(kind).img2img(start, 0.5f).build(),
          events::add,
          null);

      assertThat(calls).hasSize(5);
      assertThat(events).extracting(StepEvent::step).containsExactly(1, 2, 3, 4, 5);
      assertThat(events).allSatisfy(e -> assertThat(e.steps()).isEqualTo(5));
      List<Float> full = new ArrayList<>();
      f.pipeline((shape, t) -> full.add(t))
          .generate(RequestBuilder.txt2img().steps(10).scheduler(kind).build(), null, null);
      assertThat(calls).isEqualTo(full.subList(5, 10));
    }
  }

  @Test
  @DisplayName("LCM image-to-image picks its N steps among the first steps·strength timesteps")
  void lcmStrength() throws Exception {
    try (SdFixture f = SdFixture.open(dir, SdVariant.optimum1_24(LCM))) {
      List<Float> calls = new ArrayList<>();
      f.pipeline((shape, t) -> calls.add(t))
          .generate(
              RequestBuilder.txt2img().guidance(8.5f).img2img(start, 0.5f).build(), null, null);

      assertThat(calls).hasSize(4);
      assertThat(calls.get(0)).isLessThan(500f);
    }
  }

  @Test
  @DisplayName("The lower the strength, the closer the result stays to the image's VAE round trip")
  void lowStrengthStaysClose() throws Exception {
    try (SdFixture f = SdFixture.open(dir, SdVariant.optimum1_23(SD15))) {
      DiffusionPipeline pipeline = f.pipeline();
      Vae vae = pipeline.vae();
      float[] latents = vae.encode(SdFixture.ENV, Pixels.toPlanes(start), 64, 64, 1, null);
      BufferedImage roundTrip = vae.decode(SdFixture.ENV, latents, 0, 64, 64);
      RequestBuilder request = RequestBuilder.txt2img().steps(10).scheduler(SchedulerKind.EULER);

      BufferedImage light =
          pipeline.generate(request.img2img(start, 0.2f).build(), null, null).images().get(0);
      BufferedImage heavy =
          pipeline.generate(request.img2img(start, 1f).build(), null, null).images().get(0);

      double lightDiff = Images.difference(light, roundTrip, 0, 64);
      double heavyDiff = Images.difference(heavy, roundTrip, 0, 64);
      // the fixture UNet is no real denoiser (it shrinks latents at every step), so only "closer"
      assertThat(lightDiff).isLessThan(heavyDiff * 0.75);
    }
  }

  @Test
  @DisplayName("A starting image of another size is resized to the request's")
  void resizesTheImage() throws Exception {
    try (SdFixture f = SdFixture.open(dir, SdVariant.optimum1_24(SD15))) {
      GeneratedImages out =
          f.pipeline()
              .generate(
                  RequestBuilder.txt2img()
                      .size(64, 96)
                      .img2img(Images.picture(100, 80), 0.7f)
                      .build(),
                  null,
                  null);

      assertThat(out.images().get(0).getWidth()).isEqualTo(64);
      assertThat(out.images().get(0).getHeight()).isEqualTo(96);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(
      value = SchedulerKind.class,
      names = {"EULER", "EULER_ANCESTRAL", "DPMPP_2M"})
  @DisplayName("Inpainting keeps the pixels outside the feathered mask and repaints those inside")
  void inpaintKeepsUnmasked(SchedulerKind kind) throws Exception {
    try (SdFixture f = SdFixture.open(dir, SdVariant.optimum1_23(SD15))) {
      BufferedImage mask = Images.leftMask(64, 64, 32);
      BufferedImage out =
          f.pipeline()
              .generate(
                  RequestBuilder.txt2img()
                      .steps(8)
                      .scheduler(kind)
                      .inpaint(start, mask, 1f, 2)
                      .build(),
                  null,
                  null)
              .images()
              .get(0);

      // blur σ = 2 reaches 6 pixels: from x = 38 on the mask is 0
      assertThat(Images.difference(out, start, 38, 64)).isZero();
      assertThat(Images.difference(out, start, 0, 26)).isGreaterThan(5);
    }
  }

  @Test
  @DisplayName("Inpainting below strength 1 runs ⌊N·s⌋ steps, with previews of each")
  void inpaintStrength() throws Exception {
    try (SdFixture f = SdFixture.open(dir, SdVariant.optimum1_24(SD15))) {
      List<StepEvent> events = new ArrayList<>();
      BufferedImage mask = Images.leftMask(64, 64, 32);
      f.pipeline()
          .generate(
              RequestBuilder.txt2img()
                  .steps(6)
                  .previewEvery(1)
                  .inpaint(start, mask, 0.8f, 0)
                  .build(),
              events::add,
              null);
      assertThat(events).hasSize(4);
      assertThat(events).allSatisfy(e -> assertThat(e.preview()).isNotNull());
    }
  }

  @Test
  @DisplayName("A model without a VAE encoder refuses image-to-image and inpainting with a 422")
  void noEncoder() throws Exception {
    try (SdFixture f = SdFixture.open(dir, SdVariant.optimum1_24(SD15))) {
      OrtSession encoder = f.sessions.remove(DiffusionPipeline.VAE_ENCODER);
      encoder.close();
      DiffusionPipeline pipeline = f.pipeline();

      assertThat(pipeline.defaults().modes()).containsExactly(DiffusionRequest.Mode.TXT2IMG);
      assertThatThrownBy(
              () ->
                  pipeline.generate(
                      RequestBuilder.txt2img().img2img(start, 0.5f).build(), null, null))
          .isInstanceOf(ImajinException.class)
          .hasMessageContaining("cannot do img2img (it has no VAE encoder)");
    }
  }

  @Test
  @DisplayName("Requests that cannot run are refused with a 422 saying why")
  void refusals() throws Exception {
    try (SdFixture f = SdFixture.open(dir, SdVariant.optimum1_24(SD15))) {
      DiffusionPipeline pipeline = f.pipeline();

      assertThatThrownBy(
              () ->
                  pipeline.generate(
                      RequestBuilder.txt2img().steps(2).img2img(start, 0.3f).build(), null, null))
          .isInstanceOf(ImajinException.class)
          .hasMessageContaining("steps × strength must be at least 1");
      assertThatThrownBy(
              () ->
                  pipeline.generate(
                      RequestBuilder.txt2img().img2img(null, 0.3f).build(), null, null))
          .isInstanceOf(ImajinException.class)
          .hasMessage("img2img needs an image");
      assertThatThrownBy(
              () ->
                  pipeline.generate(
                      RequestBuilder.txt2img().img2img(start, 0f).build(), null, null))
          .isInstanceOf(ImajinException.class)
          .hasMessage("strength must lie in (0, 1], was 0.0");
      assertThatThrownBy(
              () ->
                  pipeline.generate(
                      RequestBuilder.txt2img().inpaint(start, null, 0.5f, 0).build(), null, null))
          .isInstanceOf(ImajinException.class)
          .hasMessage("inpaint needs a mask");
      assertThatThrownBy(
              () -> pipeline.generate(RequestBuilder.txt2img().steps(0).build(), null, null))
          .isInstanceOf(ImajinException.class)
          .hasMessage("steps must be at least 1, was 0");
    }
  }
}
