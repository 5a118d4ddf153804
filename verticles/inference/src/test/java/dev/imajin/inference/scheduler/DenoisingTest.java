package dev.imajin.inference.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whole denoising loops run as a pipeline runs them, with an oracle in place of the UNet. The
 * oracle reads the model input as α·x0 + s·ε (α = 1/√(σ²+1), s = σ·α, σ the scheduler's at that
 * step) and answers the ε, v or x0 that its denoiser implies.
 */
class DenoisingTest {
  private static final int SIZE = 64;

  static Stream<Arguments> everyKindAndPrediction() {
    List<Arguments> cases = new ArrayList<>();
    for (SchedulerKind kind : SchedulerKind.values()) {
      for (String prediction : new String[] {"epsilon", "v_prediction", "sample"}) {
        for (double strength : new double[] {1.0, 0.6}) {
          cases.add(Arguments.of(kind, prediction, strength));
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}, {1}, strength {2}")
  @MethodSource("everyKindAndPrediction")
  @DisplayName("With a model that knows x0, every scheduler ends at x0")
  void landsOnKnownX0(SchedulerKind kind, String prediction, double strength) {
    float[] x0 = new float[SIZE];
    for (int i = 0; i < SIZE; i++) {
      x0[i] = (float) (2 * Math.sin(0.37 * i));
    }
    int steps = kind == SchedulerKind.LCM ? 4 : 20;
    Scheduler scheduler =
        Scheduler.create(config(kind, prediction), kind, steps, strength, new GaussianNoise(7));
    float[] noise = new float[SIZE];
    new GaussianNoise(42).fill(noise);
    float[] x = new float[SIZE];
    if (strength < 1) {
      System.arraycopy(x0, 0, x, 0, SIZE);
      scheduler.addNoise(x, noise, scheduler.startIndex());
    } else {
      for (int i = 0; i < SIZE; i++) {
        x[i] = noise[i] * scheduler.initNoiseSigma();
      }
    }
    x = denoise(scheduler, x, prediction, (i, unscaled, sigma) -> x0[i]);
    // Ancestral and LCM noise too lands exactly: their last step adds none (measured error < 1e-6)
    for (int i = 0; i < SIZE; i++) {
      assertThat((double) x[i]).as("element %d", i).isCloseTo(x0[i], within(1e-4));
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"EULER, -0.0796752", "DDIM, -0.0737087", "DPMPP_2M, -0.0327926"})
  @DisplayName(
      "On the probability-flow ODE of Gaussian data, the error after 20 steps is the solver's own"
          + " (DPM++ 2M, second order, well below Euler and DDIM)")
  void gaussianOde(SchedulerKind kind, double expectedError) {
    double c = 0.8;
    Scheduler scheduler = Scheduler.create(config(kind, "epsilon"), kind, 20, new GaussianNoise(0));
    double sigma0 = scheduler.sigma(0);
    // x = 1 at σ0 in Euler's units; the others' samples are scaled by α = 1/√(σ0²+1)
    float[] x = {kind == SchedulerKind.EULER ? 1f : (float) (1 / Math.sqrt(sigma0 * sigma0 + 1))};
    x =
        denoise(
            scheduler,
            x,
            "epsilon",
            (i, unscaled, sigma) -> c * c / (c * c + sigma * sigma) * unscaled);
    double exact = c / Math.sqrt(c * c + sigma0 * sigma0);
    // expected: the same formulas in float64 (numpy), independently of this code
    assertThat(x[0] / exact - 1).isCloseTo(expectedError, within(1e-5));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(SchedulerKind.class)
  @DisplayName("The same seed gives identical samples bit for bit; another seed, other samples")
  void reproducible(SchedulerKind kind) {
    float[][] runs = new float[3][];
    for (int run = 0; run < 3; run++) {
      long seed = run < 2 ? 11 : 12;
      Scheduler scheduler =
          Scheduler.create(config(kind, "epsilon").withEta(0.5), kind, 4, new GaussianNoise(seed));
      float[] x = new float[SIZE];
      new GaussianNoise(seed).fill(x);
      // a model that is not perfect, so that the fresh noise shows in the result
      runs[run] = denoise(scheduler, x, "epsilon", (i, unscaled, sigma) -> 0.5 * unscaled);
    }
    assertThat(runs[1]).containsExactly(runs[0]);
    assertThat(runs[2]).isNotEqualTo(runs[0]);
  }

  /** The clean sample a perfect model would infer from the unscaled sample x at σ. */
  private interface Denoiser {
    double clean(int index, double unscaled, double sigma);
  }

  /** The pipeline loop, from the start step to the end, with the oracle as the model. */
  private static float[] denoise(
      Scheduler scheduler, float[] x, String prediction, Denoiser model) {
    for (int step = scheduler.startIndex(); step < scheduler.timesteps().length; step++) {
      float[] in = x.clone();
      scheduler.scaleModelInput(in, step);
      double sigma = scheduler.sigma(step);
      double alpha = 1 / Math.sqrt(sigma * sigma + 1);
      double spread = sigma * alpha;
      float[] out = new float[x.length];
      for (int i = 0; i < x.length; i++) {
        double clean = model.clean(i, in[i] / alpha, sigma);
        double epsilon = (in[i] - alpha * clean) / spread;
        out[i] =
            (float)
                switch (prediction) {
                  case "epsilon" -> epsilon;
                  case "v_prediction" -> alpha * epsilon - spread * clean;
                  default -> clean;
                };
      }
      x = scheduler.step(out, step, x);
    }
    return x;
  }

  private static SchedulerConfig config(SchedulerKind kind, String prediction) {
    JsonObject json =
        (kind == SchedulerKind.LCM ? Reference.LCM_DREAMSHAPER : Reference.SD15)
            .copy()
            .put("prediction_type", prediction)
            .put("set_alpha_to_one", true);
    return SchedulerConfig.from(json, kind);
  }
}
