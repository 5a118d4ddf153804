package dev.imajin.inference.diffusion;

import static dev.imajin.inference.testing.SdVariant.Family.LCM;
import static dev.imajin.inference.testing.SdVariant.Family.SD15;
import static dev.imajin.inference.testing.SdVariant.Family.SD21;
import static dev.imajin.inference.testing.SdVariant.Family.SDXL;
import static dev.imajin.inference.testing.SdVariant.Family.SDXL_TURBO;
import static dev.imajin.inference.testing.SdVariant.Family.SD_TURBO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.imajin.contracts.ErrorType;
import dev.imajin.contracts.ImajinException;
import dev.imajin.inference.scheduler.SchedulerKind;
import dev.imajin.inference.testing.SdVariant;
import dev.imajin.inference.testing.SdVariant.Family;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("Diffusion pipeline")
class DiffusionPipelineTest {
  @TempDir Path dir;

  static Stream<Arguments> variants() {
    return Stream.of(
        Arguments.of(
            "diffusers script, int64 timestep, SD 1.5", SdVariant.diffusersScriptInt64(SD15)),
        Arguments.of("diffusers script, float timestep, SD 1.5", SdVariant.diffusersScript(SD15)),
        Arguments.of("diffusers script, SD 2.1 (v-prediction)", SdVariant.diffusersScript(SD21)),
        Arguments.of(
            "diffusers script --fp16, SD 1.5", SdVariant.diffusersScript(SD15).withFp16(true)),
        Arguments.of("Optimum 1.6, SD 1.5", SdVariant.optimum1_6(SD15)),
        Arguments.of("Optimum 1.23 (latent_parameters), SD 1.5", SdVariant.optimum1_23(SD15)),
        Arguments.of(
            "Optimum 1.24 (rank-0 timestep, int64 ids), SD 1.5", SdVariant.optimum1_24(SD15)),
        Arguments.of("Olive fp16, SD 1.5", SdVariant.olive(SD15)),
        Arguments.of("Optimum 1.24, SDXL", SdVariant.optimum1_24(SDXL)),
        Arguments.of("Optimum 1.23, SDXL", SdVariant.optimum1_23(SDXL)),
        Arguments.of("Optimum 1.24 fp16, SDXL", SdVariant.optimum1_24(SDXL).withFp16(true)),
        Arguments.of("Olive fp16, SDXL (unnamed text_embeds, time_ids)", SdVariant.olive(SDXL)),
        Arguments.of("Optimum 1.24, LCM", SdVariant.optimum1_24(LCM)),
        Arguments.of("Optimum 1.6, LCM", SdVariant.optimum1_6(LCM)),
        Arguments.of("Optimum 1.24, SD-Turbo", SdVariant.optimum1_24(SD_TURBO)),
        Arguments.of("Optimum 1.24, SDXL-Turbo", SdVariant.optimum1_24(SDXL_TURBO)));
  }

  static float guidance(Family family) {
    return switch (family) {
      case SD_TURBO, SDXL_TURBO -> 0f;
      case LCM -> 8.5f;
      case SDXL -> 5f;
      default -> 7.5f;
    };
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("variants")
  @DisplayName("Every exporter's variant runs text-to-image, image-to-image and inpainting")
  void everyVariant(String name, SdVariant variant) throws Exception {
    try (SdFixture f = SdFixture.open(dir, variant)) {
      DiffusionPipeline pipeline = f.pipeline();
      RequestBuilder base = RequestBuilder.txt2img().guidance(guidance(variant.family()));
      BufferedImage start = Images.picture(64, 64);
      BufferedImage mask = Images.leftMask(64, 64, 32);

      GeneratedImages txt = pipeline.generate(base.build(), null, null);
      GeneratedImages img = pipeline.generate(base.img2img(start, 0.75f).build(), null, null);
      GeneratedImages inp =
          pipeline.generate(base.inpaint(start, mask, 0.75f, 2).build(), null, null);

      for (GeneratedImages out : List.of(txt, img, inp)) {
        assertThat(out.images()).hasSize(1);
        BufferedImage image = out.images().get(0);
        assertThat(image.getWidth()).isEqualTo(64);
        assertThat(image.getHeight()).isEqualTo(64);
        assertThat(Images.colours(image)).as("distinct colours").isGreaterThan(4);
      }
      assertThat(Images.same(txt.images().get(0), img.images().get(0))).isFalse();
      assertThat(txt.scheduler()).isEqualTo(pipeline.defaults().scheduler());
    }
  }

  static Stream<Arguments> schedulers() {
    List<Arguments> all = new ArrayList<>();
    for (SchedulerKind kind : SchedulerKind.values()) {
      all.add(Arguments.of(kind, SdVariant.optimum1_24(SD15)));
      all.add(Arguments.of(kind, SdVariant.diffusersScriptInt64(SD15)));
      all.add(Arguments.of(kind, SdVariant.optimum1_24(SDXL)));
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("schedulers")
  @DisplayName("Every scheduler runs, reproducibly, and they differ from one another")
  void everyScheduler(SchedulerKind kind, SdVariant variant) throws Exception {
    try (SdFixture f = SdFixture.open(dir, variant)) {
      RequestBuilder request = RequestBuilder.txt2img().steps(5).scheduler(kind);
      GeneratedImages once = f.pipeline().generate(request.build(), null, null);
      GeneratedImages twice = f.pipeline().generate(request.build(), null, null);
      // not DDIM against Euler: with eta 0 and the same timesteps they are the same solver
      SchedulerKind other =
          kind == SchedulerKind.DPMPP_2M ? SchedulerKind.EULER : SchedulerKind.DPMPP_2M;
      GeneratedImages otherKind =
          f.pipeline().generate(request.scheduler(other).build(), null, null);

      assertThat(once.scheduler()).isEqualTo(kind);
      assertThat(Images.same(once.images().get(0), twice.images().get(0))).isTrue();
      assertThat(Images.same(once.images().get(0), otherKind.images().get(0))).isFalse();
    }
  }

  @Test
  @DisplayName("The same seed gives the same bytes; another seed other ones")
  void seeds() throws Exception {
    try (SdFixture f = SdFixture.open(dir, SdVariant.optimum1_24(SD15))) {
      RequestBuilder request = RequestBuilder.txt2img().scheduler(SchedulerKind.EULER_ANCESTRAL);
      BufferedImage a = f.pipeline().generate(request.seed(7).build(), null, null).images().get(0);
      BufferedImage b = f.pipeline().generate(request.seed(7).build(), null, null).images().get(0);
      BufferedImage c = f.pipeline().generate(request.seed(8).build(), null, null).images().get(0);

      assertThat(Images.rgb(a)).isEqualTo(Images.rgb(b));
      assertThat(Images.same(a, c)).isFalse();
    }
  }

  @Test
  @DisplayName(
      "Image i of a batch uses seed + i: it is the image that seed alone gives (ancestral noise"
          + " included)")
  void batchSeeds() throws Exception {
    try (SdFixture f = SdFixture.open(dir, SdVariant.optimum1_24(SD15))) {
      RequestBuilder request = RequestBuilder.txt2img().scheduler(SchedulerKind.EULER_ANCESTRAL);
      GeneratedImages batch = f.pipeline().generate(request.seed(100).count(3).build(), null, null);
      GeneratedImages third = f.pipeline().generate(request.seed(102).count(1).build(), null, null);

      assertThat(batch.seeds()).containsExactly(100L, 101L, 102L);
      assertThat(batch.images()).hasSize(3);
      assertThat(Images.same(batch.images().get(0), batch.images().get(1))).isFalse();
      assertThat(Images.difference(batch.images().get(2), third.images().get(0), 0, 64))
          .isLessThan(1.0);
    }
  }

  @ParameterizedTest(name = "guidance {0}: batch {1} per image")
  @CsvSource({"7.5, 2", "1.0, 1", "0.0, 1"})
  @DisplayName("Guidance above 1 runs one UNet call of batch 2B, [negative; positive], per step")
  void guidanceBatch(float guidance, int rowsPerImage) throws Exception {
    try (SdFixture f = SdFixture.open(dir, SdVariant.optimum1_24(SD15))) {
      List<long[]> calls = new ArrayList<>();
      DiffusionPipeline pipeline = f.pipeline((shape, t) -> calls.add(shape.clone()));
      pipeline.generate(
          RequestBuilder.txt2img().guidance(guidance).count(2).steps(3).build(), null, null);

      assertThat(calls).hasSize(3);
      assertThat(calls).allSatisfy(s -> assertThat(s).containsExactly(2L * rowsPerImage, 4, 8, 8));
    }
  }

  @Test
  @DisplayName("Guidance changes the image, and so does the negative prompt")
  void guidanceMatters() throws Exception {
    try (SdFixture f = SdFixture.open(dir, SdVariant.optimum1_24(SD15))) {
      RequestBuilder request = RequestBuilder.txt2img();
      BufferedImage guided = f.pipeline().generate(request.build(), null, null).images().get(0);
      BufferedImage plain =
          f.pipeline().generate(request.guidance(1f).build(), null, null).images().get(0);
      BufferedImage negative =
          f.pipeline()
              .generate(request.guidance(7.5f).negative("blue star").build(), null, null)
              .images()
              .get(0);

      assertThat(Images.same(guided, plain)).isFalse();
      assertThat(Images.same(guided, negative)).isFalse();
    }
  }

  @Test
  @DisplayName("Each step reports to the listener, per image, with previews every k steps")
  void progress() throws Exception {
    try (SdFixture f = SdFixture.open(dir, SdVariant.optimum1_24(SD15))) {
      List<StepEvent> events = new ArrayList<>();
      List<Float> timesteps = new ArrayList<>();
      DiffusionPipeline pipeline = f.pipeline((shape, t) -> timesteps.add(t));
      pipeline.generate(
          RequestBuilder.txt2img().steps(6).count(2).previewEvery(3).size(64, 96).build(),
          events::add,
          null);

      assertThat(events).hasSize(12);
      for (int i = 0; i < events.size(); i++) {
        StepEvent e = events.get(i);
        assertThat(e.step()).isEqualTo(i / 2 + 1);
        assertThat(e.image()).isEqualTo(i % 2);
        assertThat(e.steps()).isEqualTo(6);
        assertThat(e.timestep()).isEqualTo(timesteps.get(i / 2));
        assertThat(e.sigma()).isPositive();
        if (e.step() % 3 == 0) {
          assertThat(e.preview()).isNotNull();
          assertThat(e.preview().getWidth()).isEqualTo(8);
          assertThat(e.preview().getHeight()).isEqualTo(12);
        } else {
          assertThat(e.preview()).isNull();
        }
      }
      assertThat(events).extracting(StepEvent::elapsedMs).isSorted();
    }
  }

  @Test
  @DisplayName("Cancelling stops the loop before the next step, with CancellationException")
  void cancellation() throws Exception {
    try (SdFixture f = SdFixture.open(dir, SdVariant.optimum1_24(SD15))) {
      List<Float> calls = new ArrayList<>();
      Cancellation cancel = new Cancellation();
      DiffusionPipeline pipeline = f.pipeline((shape, t) -> calls.add(t));

      assertThatThrownBy(
              () ->
                  pipeline.generate(
                      RequestBuilder.txt2img().steps(10).build(),
                      e -> {
                        if (e.step() == 2) {
                          cancel.cancel("user asked");
                        }
                      },
                      cancel))
          .isInstanceOf(CancellationException.class)
          .hasMessage("user asked");
      assertThat(calls).hasSize(2);
    }
  }

  @Test
  @DisplayName(
      "Phase timings add up to the total, and the UNet's share lies within the denoising time")
  void timings() throws Exception {
    try (SdFixture f = SdFixture.open(dir, SdVariant.optimum1_24(SD15))) {
      GeneratedImages.Timings t =
          f.pipeline().generate(RequestBuilder.txt2img().build(), null, null).timings();

      assertThat(t.unetMs()).isPositive().isLessThanOrEqualTo(t.denoiseMs());
      assertThat(t.encodeMs() + t.denoiseMs() + t.decodeMs()).isCloseTo(t.totalMs(), within(1e-6));
    }
  }

  @ParameterizedTest(name = "{0}x{1}")
  @CsvSource({"500, 512", "512, 60", "56, 64", "2056, 512", "512, 0"})
  @DisplayName("Sizes that are not multiples of 8 from 64 to 2048 are refused with a 422")
  void badSizes(int width, int height) throws Exception {
    try (SdFixture f = SdFixture.open(dir, SdVariant.optimum1_24(SD15))) {
      assertThatThrownBy(
              () ->
                  f.pipeline()
                      .generate(RequestBuilder.txt2img().size(width, height).build(), null, null))
          .isInstanceOfSatisfying(
              ImajinException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.UNPROCESSABLE))
          .hasMessageContaining("must be a multiple of 8 from 64 to 2048");
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Family.class)
  @DisplayName("Unusual sizes run, as long as they are multiples of 8")
  void oddSizes(Family family) throws Exception {
    SdVariant variant = SdVariant.optimum1_24(family);
    try (SdFixture f = SdFixture.open(dir, variant)) {
      GeneratedImages out =
          f.pipeline()
              .generate(
                  RequestBuilder.txt2img().size(72, 136).guidance(guidance(family)).build(),
                  null,
                  null);
      assertThat(out.images().get(0).getWidth()).isEqualTo(72);
      assertThat(out.images().get(0).getHeight()).isEqualTo(136);
    }
  }
}
