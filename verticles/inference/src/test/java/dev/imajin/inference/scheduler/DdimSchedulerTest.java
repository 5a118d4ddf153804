package dev.imajin.inference.scheduler;

import static dev.imajin.inference.scheduler.Reference.assertPrinted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DdimSchedulerTest {
  private static final Noise UNUSED =
      out -> {
        throw new AssertionError("DDIM with eta 0 draws no noise");
      };

  private static DdimScheduler ddim(JsonObject json, int steps) {
    SchedulerConfig config = SchedulerConfig.from(json, SchedulerKind.DDIM);
    return (DdimScheduler) Scheduler.create(config, SchedulerKind.DDIM, steps, UNUSED);
  }

  @Test
  @DisplayName("SD 1.5, leading offset 1, 20 steps: the ᾱ of the first and last steps (§2.4)")
  void alphas() {
    DdimScheduler ddim = ddim(Reference.SD15, 20);
    float[] expected = new float[20];
    for (int i = 0; i < 20; i++) {
      expected[i] = 951 - 50 * i;
    }
    assertThat(ddim.timesteps()).containsExactly(expected);
    assertPrinted(ddim.alphaProd(0), "0.00815499");
    assertPrinted(ddim.alphaProdPrev(0), "0.01400487");
    assertThat(ddim.timesteps()[19]).isEqualTo(1f);
    assertPrinted(ddim.alphaProdPrev(19), "0.99915");
    assertThat(ddim.initNoiseSigma()).isEqualTo(1f);
    assertThat(ddim.modelInputDivisor(0)).isEqualTo(1f);
    assertThat(ddim.sigma(20)).isEqualTo(NoiseSchedule.sigmaOf(ddim.alphaProdPrev(19)));
  }

  @Test
  @DisplayName("set_alpha_to_one (the class default) makes ᾱ before timestep 0 equal 1")
  void alphaToOne() {
    JsonObject withoutKey = Reference.SD15.copy();
    withoutKey.remove("set_alpha_to_one");
    DdimScheduler ddim = ddim(withoutKey, 20);
    assertThat(ddim.alphaProdPrev(19)).isEqualTo(1f);
    assertThat(ddim.sigma(20)).isZero();
  }

  @Test
  @DisplayName("An epsilon step with ε = 0 scales the sample by √(ᾱ_prev/ᾱ_t)")
  void epsilonStep() {
    DdimScheduler ddim = ddim(Reference.SD15, 20);
    float[] x = ddim.step(new float[] {0f}, 0, new float[] {1f});
    assertThat((double) x[0]).isCloseTo(Math.sqrt(0.01400487 / 0.00815499), within(1e-5));
  }

  @Test
  @DisplayName("v-prediction (SD 2.1): x0 = √ᾱ·x − √(1−ᾱ)·v")
  void vPrediction() {
    DdimScheduler ddim = ddim(Reference.SD15.copy().put("prediction_type", "v_prediction"), 20);
    ddim.step(new float[] {0.5f}, 0, new float[] {2f});
    // ᾱ = 0.00815499: 0.0903050·2 − 0.9959142·0.5
    assertPrinted(ddim.denoised()[0], "-0.3173471");
  }

  @Test
  @DisplayName("Without clip_sample in the file, DDIM clips x0 to ±clip_sample_range (its default)")
  void clipByDefault() {
    DdimScheduler clipping = ddim(new JsonObject(), 10);
    clipping.step(new float[] {-100f, 0f}, 0, new float[] {0f, 50f});
    assertThat(clipping.denoised()).containsExactly(1f, 1f);
    DdimScheduler notClipping = ddim(Reference.SD15, 10);
    notClipping.step(new float[] {0f}, 0, new float[] {5f});
    assertThat(notClipping.denoised()[0]).isGreaterThan(1f);
  }

  @Test
  @DisplayName("eta > 0 adds σ_t·z of fresh noise, reproducibly from the seed")
  void eta() {
    SchedulerConfig config = SchedulerConfig.from(Reference.SD15, SchedulerKind.DDIM).withEta(1);
    float[][] results = new float[2][];
    for (int run = 0; run < 2; run++) {
      Scheduler ddim = Scheduler.create(config, SchedulerKind.DDIM, 20, new GaussianNoise(5));
      results[run] = ddim.step(new float[] {0.1f, 0.2f}, 0, new float[] {1f, 1f});
    }
    assertThat(results[0]).containsExactly(results[1]);
    DdimScheduler deterministic = ddim(Reference.SD15, 20);
    assertThat(results[0])
        .isNotEqualTo(deterministic.step(new float[] {0.1f, 0.2f}, 0, new float[] {1f, 1f}));
  }

  @Test
  @DisplayName("img2img noises with √ᾱ·x + √(1−ᾱ)·noise at the start step's timestep")
  void img2img() {
    Scheduler ddim =
        Scheduler.create(
            SchedulerConfig.from(Reference.SD15, SchedulerKind.DDIM),
            SchedulerKind.DDIM,
            20,
            0.6,
            UNUSED);
    assertThat(ddim.startIndex()).isEqualTo(8);
    assertThat(ddim.timesteps()[8]).isEqualTo(551f);
    float[] image = {1f};
    ddim.addNoise(image, new float[] {1f}, 8);
    float alpha =
        NoiseSchedule.of(SchedulerConfig.from(Reference.SD15, SchedulerKind.DDIM))
            .alphaCumprod(551);
    assertThat((double) image[0]).isCloseTo(Math.sqrt(alpha) + Math.sqrt(1 - alpha), within(1e-6));
  }
}
