package dev.imajin.inference.scheduler;

import static dev.imajin.inference.scheduler.Reference.assertPrinted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DpmSolverMultistepSchedulerTest {
  private static final Noise UNUSED =
      out -> {
        throw new AssertionError("DPM-Solver++ draws no noise");
      };

  private static Scheduler dpm(JsonObject json, int steps) {
    return Scheduler.create(
        SchedulerConfig.from(json, SchedulerKind.DPMPP_2M), SchedulerKind.DPMPP_2M, steps, UNUSED);
  }

  @Test
  @DisplayName("20 steps: linspace, leading (offset 1) and trailing timesteps of §2.4")
  void timesteps() {
    assertThat(dpm(Reference.SD15, 20).timesteps())
        .containsExactly(
            999, 949, 899, 849, 799, 749, 699, 649, 599, 549, 500, 450, 400, 350, 300, 250, 200,
            150, 100, 50);
    Scheduler leading = dpm(Reference.SD15.copy().put("timestep_spacing", "leading"), 20);
    float[] expected = new float[20];
    for (int i = 0; i < 20; i++) {
      expected[i] = 941 - 47 * i;
    }
    assertThat(leading.timesteps()).containsExactly(expected);
    assertThat(leading.timesteps()[19]).isEqualTo(48f);
    assertPrinted(leading.sigma(0), "10.425051");
    for (int i = 0; i < 20; i++) {
      expected[i] = 999 - 50 * i;
    }
    assertThat(dpm(Reference.SD15.copy().put("timestep_spacing", "trailing"), 20).timesteps())
        .containsExactly(expected);
  }

  @Test
  @DisplayName("The final step (to σ = 0) returns x0 exactly")
  void finalStepIsX0() {
    Scheduler dpm = dpm(Reference.SD15, 3);
    float[] x = {1.5f, -0.5f};
    dpm.step(new float[] {0.3f, 0.1f}, 0, x);
    dpm.step(new float[] {0.2f, -0.4f}, 1, x);
    float sigma = dpm.sigma(2);
    float alpha = 1f / (float) Math.sqrt(sigma * sigma + 1f);
    float[] output = {0.7f, -0.2f};
    float[] expected = new float[2];
    for (int i = 0; i < 2; i++) {
      expected[i] = (x[i] - sigma * alpha * output[i]) / alpha;
    }
    assertThat(dpm.step(output, 2, x)).containsExactly(expected).isSameAs(x);
    assertThat(dpm.denoised()).containsExactly(expected);
  }

  @Test
  @DisplayName("The first step is first order; the second applies the midpoint correction")
  void orders() {
    Scheduler dpm = dpm(Reference.SD15, 20);
    double[] s = {dpm.sigma(0), dpm.sigma(1), dpm.sigma(2)};
    double x = 3;
    double m0 = x0(x, s[0], 0.4);
    double expected = first(x, s[0], s[1], m0);
    float[] sample = {(float) x};
    dpm.step(new float[] {0.4f}, 0, sample);
    assertThat((double) sample[0]).isCloseTo(expected, within(2e-5 * Math.abs(expected)));

    double m1 = x0(sample[0], s[1], -0.25);
    double h = lambda(s[2]) - lambda(s[1]);
    double r0 = (lambda(s[1]) - lambda(s[0])) / h;
    double d1 = (m1 - m0) / r0;
    double alpha2 = alpha(s[2]);
    double second = first(sample[0], s[1], s[2], m1) - 0.5 * alpha2 * (Math.exp(-h) - 1) * d1;
    dpm.step(new float[] {-0.25f}, 1, sample);
    assertThat((double) sample[0]).isCloseTo(second, within(2e-5 * Math.abs(second)));
    assertThat(second).isNotCloseTo(first(x, s[1], s[2], m1), within(1e-3));
  }

  @Test
  @DisplayName("v-prediction: x0 = α·x − s·v")
  void vPrediction() {
    Scheduler dpm = dpm(Reference.SD15.copy().put("prediction_type", "v_prediction"), 20);
    dpm.step(new float[] {0.5f}, 0, new float[] {2f});
    double a = alpha(dpm.sigma(0));
    assertThat((double) dpm.denoised()[0]).isCloseTo(a * 2 - dpm.sigma(0) * a * 0.5, within(1e-6));
  }

  @Test
  @DisplayName("img2img noises with α·x + s·noise and starts with a first-order step")
  void img2img() {
    SchedulerConfig config = SchedulerConfig.from(Reference.SD15, SchedulerKind.DPMPP_2M);
    Scheduler dpm = Scheduler.create(config, SchedulerKind.DPMPP_2M, 10, 0.5, UNUSED);
    assertThat(dpm.startIndex()).isEqualTo(5);
    float[] image = {1f};
    dpm.addNoise(image, new float[] {1f}, 5);
    double a = alpha(dpm.sigma(5));
    assertThat((double) image[0]).isCloseTo(a + dpm.sigma(5) * a, within(1e-6));
    float[] x = {2f};
    dpm.step(new float[] {0.1f}, 5, x);
    double expected = first(2, dpm.sigma(5), dpm.sigma(6), x0(2, dpm.sigma(5), 0.1));
    assertThat((double) x[0]).isCloseTo(expected, within(2e-5));
  }

  private static double alpha(double sigma) {
    return 1 / Math.sqrt(sigma * sigma + 1);
  }

  private static double lambda(double sigma) {
    return -Math.log(sigma);
  }

  private static double x0(double x, double sigma, double epsilon) {
    return (x - sigma * alpha(sigma) * epsilon) / alpha(sigma);
  }

  private static double first(double x, double sigma, double next, double x0) {
    double h = lambda(next) - lambda(sigma);
    return (next * alpha(next)) / (sigma * alpha(sigma)) * x
        - alpha(next) * (Math.exp(-h) - 1) * x0;
  }
}
