package dev.imajin.inference.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;

/** Reference configs (MODELS.md §1.4) and comparison with printed reference numbers. */
final class Reference {
  /** SD 1.5's shipped scheduler_config.json: PNDM, and no timestep_spacing key. */
  static final JsonObject SD15 =
      new JsonObject(
          """
          {
            "_class_name": "PNDMScheduler",
            "_diffusers_version": "0.6.0",
            "beta_end": 0.012,
            "beta_schedule": "scaled_linear",
            "beta_start": 0.00085,
            "num_train_timesteps": 1000,
            "set_alpha_to_one": false,
            "skip_prk_steps": true,
            "steps_offset": 1,
            "trained_betas": null,
            "clip_sample": false
          }
          """);

  /** SDXL base: Euler, leading. */
  static final JsonObject SDXL =
      new JsonObject(
          """
          {
            "_class_name": "EulerDiscreteScheduler",
            "beta_end": 0.012,
            "beta_schedule": "scaled_linear",
            "beta_start": 0.00085,
            "interpolation_type": "linear",
            "num_train_timesteps": 1000,
            "prediction_type": "epsilon",
            "sample_max_value": 1.0,
            "set_alpha_to_one": false,
            "skip_prk_steps": true,
            "steps_offset": 1,
            "timestep_spacing": "leading",
            "trained_betas": null,
            "use_karras_sigmas": false
          }
          """);

  /** SD-Turbo: Euler, trailing. */
  static final JsonObject SD_TURBO =
      SDXL.copy().put("timestep_spacing", "trailing").put("steps_offset", 0);

  /** LCM Dreamshaper v7. */
  static final JsonObject LCM_DREAMSHAPER =
      new JsonObject(
          """
          {
            "_class_name": "LCMScheduler",
            "beta_end": 0.012,
            "beta_schedule": "scaled_linear",
            "beta_start": 0.00085,
            "clip_sample": false,
            "num_train_timesteps": 1000,
            "original_inference_steps": 50,
            "prediction_type": "epsilon",
            "set_alpha_to_one": true,
            "steps_offset": 0,
            "trained_betas": null
          }
          """);

  private Reference() {}

  /**
   * Within 1e-4 relative of a printed number, or half a unit of its last printed digit when that is
   * looser (a number printed as 0.0413 is only known to ±5e-5).
   */
  static void assertPrinted(double actual, String printed) {
    BigDecimal expected = new BigDecimal(printed);
    double halfDigit = 0.5 * Math.pow(10, -Math.max(expected.scale(), 0));
    double tolerance = Math.max(1e-4 * Math.abs(expected.doubleValue()), halfDigit);
    assertThat(actual)
        .as("reference %s", printed)
        .isCloseTo(expected.doubleValue(), within(tolerance));
  }

  static void assertPrinted(float[] actual, String... printed) {
    assertThat(actual).hasSize(printed.length);
    for (int i = 0; i < printed.length; i++) {
      assertPrinted(actual[i], printed[i]);
    }
  }

  /** σ of every step of a scheduler, and the final one. */
  static float[] sigmas(Scheduler scheduler) {
    float[] sigmas = new float[scheduler.timesteps().length + 1];
    for (int i = 0; i < sigmas.length; i++) {
      sigmas[i] = scheduler.sigma(i);
    }
    return sigmas;
  }

  static float[] floats(double... values) {
    float[] out = new float[values.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) values[i];
    }
    return out;
  }
}
