package dev.imajin.inference.scheduler;

import static dev.imajin.inference.scheduler.Reference.assertPrinted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class EulerSchedulerTest {
  private static final Noise UNUSED =
      out -> {
        throw new AssertionError("Euler draws no noise");
      };

  private static Scheduler euler(SchedulerConfig config, int steps) {
    return Scheduler.create(config, SchedulerKind.EULER, steps, UNUSED);
  }

  @Test
  @DisplayName("SD 1.5 betas, leading, offset 1, 20 steps: timesteps, sigmas and scales of §2.4")
  void leading() {
    SchedulerConfig config =
        SchedulerConfig.from(
            Reference.SD15.copy().put("timestep_spacing", "leading"), SchedulerKind.EULER);
    Scheduler euler = euler(config, 20);
    float[] expected = new float[20];
    for (int i = 0; i < 20; i++) {
      expected[i] = 951 - 50 * i;
    }
    assertThat(euler.timesteps()).containsExactly(expected);
    assertPrinted(
        Reference.sigmas(euler),
        "11.0283",
        "8.3907",
        "6.5064",
        "5.1344",
        "4.1167",
        "3.3478",
        "2.7562",
        "2.2929",
        "1.9234",
        "1.6237",
        "1.3762",
        "1.1682",
        "0.9904",
        "0.8357",
        "0.6984",
        "0.5741",
        "0.4583",
        "0.3462",
        "0.2281",
        "0.0413",
        "0");
    assertPrinted(euler.initNoiseSigma(), "11.073587");
    assertPrinted(1 / euler.modelInputDivisor(0), "0.090305");
    float[] sample = {2f, -4f};
    euler.scaleModelInput(sample, 0);
    assertThat(sample[0]).isEqualTo(2f / euler.modelInputDivisor(0));
    assertPrinted(sample[1], "-0.361220");
  }

  @Test
  @DisplayName("A config without timestep_spacing gives Euler linspace: fractional timesteps")
  void linspace() {
    Scheduler euler = euler(SchedulerConfig.from(Reference.SD15, SchedulerKind.EULER), 20);
    float[] timesteps = euler.timesteps();
    assertPrinted(timesteps[0], "999.0");
    assertPrinted(timesteps[1], "946.4211");
    assertPrinted(timesteps[2], "893.8421");
    assertPrinted(timesteps[18], "52.5789");
    assertPrinted(timesteps[19], "0.0");
    assertPrinted(euler.sigma(0), "14.614655");
    assertPrinted(euler.sigma(19), "0.029168");
    assertThat(euler.sigma(20)).isZero();
    assertPrinted(euler.initNoiseSigma(), "14.614655");
  }

  @Test
  @DisplayName("Trailing (SD-Turbo) with 1 and 4 steps")
  void trailing() {
    SchedulerConfig turbo = SchedulerConfig.from(Reference.SD_TURBO, SchedulerKind.EULER);
    Scheduler one = euler(turbo, 1);
    assertThat(one.timesteps()).containsExactly(999f);
    assertPrinted(new float[] {one.sigma(0), one.sigma(1)}, "14.6147", "0");
    assertPrinted(one.initNoiseSigma(), "14.614655");

    for (SchedulerKind kind :
        new SchedulerKind[] {SchedulerKind.EULER, SchedulerKind.EULER_ANCESTRAL}) {
      Scheduler four = Scheduler.create(turbo, kind, 4, new GaussianNoise(0));
      assertThat(four.timesteps()).containsExactly(999f, 749f, 499f, 249f);
      assertPrinted(Reference.sigmas(four), "14.61466", "4.08173", "1.61289", "0.69321", "0");
      assertPrinted(four.initNoiseSigma(), "14.614655");
    }
  }

  @Test
  @DisplayName("An epsilon step moves along d = (x − x0)/σ to the next sigma")
  void epsilonStep() {
    Scheduler euler = euler(SchedulerConfig.from(Reference.SD_TURBO, SchedulerKind.EULER), 4);
    float sigma = euler.sigma(0);
    float next = euler.sigma(1);
    float[] x = euler.step(new float[] {0.1f}, 0, new float[] {1f});
    // x0 = 1 − 0.1σ, d = 0.1, x ← 1 + 0.1·(σ_next − σ)
    assertThat(x[0]).isCloseTo(1 + 0.1f * (next - sigma), within(1e-6f));
    assertPrinted(x[0], "-0.0532925");
    assertThat(euler.denoised()[0]).isCloseTo(1 - 0.1f * sigma, within(1e-6f));
  }

  @Test
  @DisplayName("v-prediction: x0 = −σ/√(σ²+1)·v + x/(σ²+1)")
  void vPrediction() {
    SchedulerConfig config =
        SchedulerConfig.from(
            Reference.SD_TURBO.copy().put("prediction_type", "v_prediction"), SchedulerKind.EULER);
    Scheduler euler = euler(config, 4);
    euler.step(new float[] {0f}, 0, new float[] {0f});
    euler.step(new float[] {0.5f}, 1, new float[] {2f});
    // σ = 4.08173: 0.5·(−4.08173/√17.66052+1) + 2/18.66052
    assertPrinted(euler.denoised()[0], "-0.3723909");
  }

  @Test
  @DisplayName("Euler ancestral steps to σ_down and adds σ_up of fresh noise")
  void ancestral() {
    Noise ones = out -> Arrays.fill(out, 1f);
    Scheduler ancestral =
        Scheduler.create(
            SchedulerConfig.from(Reference.SD_TURBO, SchedulerKind.EULER_ANCESTRAL),
            SchedulerKind.EULER_ANCESTRAL,
            4,
            ones);
    float[] x = ancestral.step(new float[] {0.1f}, 0, new float[] {1f});
    // σ_up = σn·√(1 − σn²/σ²) = 3.919305, σ_down = σn²/σ = 1.139987
    assertPrinted(x[0], "3.5718379");
  }

  @Test
  @DisplayName("img2img adds σ·noise at the start step and starts there")
  void img2img() {
    Scheduler euler =
        Scheduler.create(
            SchedulerConfig.from(Reference.SD_TURBO, SchedulerKind.EULER),
            SchedulerKind.EULER,
            4,
            0.5,
            UNUSED);
    assertThat(euler.startIndex()).isEqualTo(2);
    float[] image = {1f, -1f};
    euler.addNoise(image, new float[] {1f, 2f}, euler.startIndex());
    float sigma = euler.sigma(2);
    assertThat(image).containsExactly(1f + sigma, -1f + 2 * sigma);
  }

  @Test
  @DisplayName("Steps run in order from the start step; denoised exists after the first")
  void order() {
    Scheduler euler = euler(SchedulerConfig.from(Reference.SD_TURBO, SchedulerKind.EULER), 4);
    assertThatThrownBy(euler::denoised).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> euler.step(new float[1], 1, new float[1]))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("the next step is 0");
    assertThatThrownBy(() -> euler.step(new float[1], 0, new float[2]))
        .isInstanceOf(IllegalArgumentException.class);
    euler.step(new float[1], 0, new float[1]);
    assertThatThrownBy(() -> euler.step(new float[2], 1, new float[2]))
        .as("the sample size is fixed by the first step")
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> euler.sigma(5)).isInstanceOf(IndexOutOfBoundsException.class);
  }
}
