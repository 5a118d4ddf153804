package dev.imajin.inference.scheduler;

import io.vertx.core.json.JsonObject;

/**
 * The settings of a diffusers scheduler, named after the keys of {@code scheduler_config.json}.
 * Each kind reads only the settings its diffusers class has; the others are carried along, as
 * diffusers' {@code from_config} carries unknown keys.
 *
 * @param numTrainTimesteps {@code num_train_timesteps}
 * @param betaStart {@code beta_start}
 * @param betaEnd {@code beta_end}
 * @param betaSchedule {@code beta_schedule}
 * @param predictionType {@code prediction_type}
 * @param timestepSpacing {@code timestep_spacing} (Euler, Euler ancestral, DDIM, DPM-Solver)
 * @param stepsOffset {@code steps_offset}, added to {@code leading} timesteps
 * @param setAlphaToOne {@code set_alpha_to_one} (DDIM, LCM): ᾱ before timestep 0 is 1, else ᾱ_0
 * @param clipSample {@code clip_sample} (DDIM, LCM): clamp the predicted x0
 * @param clipSampleRange {@code clip_sample_range}
 * @param originalInferenceSteps {@code original_inference_steps} (LCM)
 * @param timestepScaling {@code timestep_scaling} (LCM)
 * @param solverOrder {@code solver_order} (DPM-Solver), 1 or 2
 * @param solverType {@code solver_type} (DPM-Solver)
 * @param lowerOrderFinal {@code lower_order_final} (DPM-Solver)
 * @param eulerAtFinal {@code euler_at_final} (DPM-Solver)
 * @param finalSigmas {@code final_sigmas_type} (Euler, DPM-Solver)
 * @param lambdaMinClipped {@code lambda_min_clipped} (DPM-Solver)
 * @param eta not a config key: the DDIM pipeline's {@code eta} (0 is deterministic)
 * @throws IllegalArgumentException naming the setting when a value is out of range
 */
public record SchedulerConfig(
    int numTrainTimesteps,
    double betaStart,
    double betaEnd,
    BetaSchedule betaSchedule,
    PredictionType predictionType,
    TimestepSpacing timestepSpacing,
    int stepsOffset,
    boolean setAlphaToOne,
    boolean clipSample,
    double clipSampleRange,
    int originalInferenceSteps,
    double timestepScaling,
    int solverOrder,
    SolverType solverType,
    boolean lowerOrderFinal,
    boolean eulerAtFinal,
    FinalSigmas finalSigmas,
    double lambdaMinClipped,
    double eta) {

  /** {@code beta_schedule}. */
  public enum BetaSchedule {
    LINEAR,
    SCALED_LINEAR,
    SQUAREDCOS_CAP_V2
  }

  /** {@code prediction_type}: what the UNet predicts. */
  public enum PredictionType {
    EPSILON,
    V_PREDICTION,
    SAMPLE
  }

  /** {@code timestep_spacing}: how N timesteps are picked from the training ones. */
  public enum TimestepSpacing {
    LINSPACE,
    LEADING,
    TRAILING
  }

  /** {@code solver_type} of DPM-Solver's second-order update. */
  public enum SolverType {
    MIDPOINT,
    HEUN
  }

  /** {@code final_sigmas_type}: the sigma after the last step. */
  public enum FinalSigmas {
    ZERO,
    SIGMA_MIN
  }

  public SchedulerConfig {
    if (betaSchedule == null
        || predictionType == null
        || timestepSpacing == null
        || solverType == null
        || finalSigmas == null) {
      throw invalid(
          "beta_schedule, prediction_type, timestep_spacing, solver_type and"
              + " final_sigmas_type are required");
    }
    requirePositive("num_train_timesteps", numTrainTimesteps);
    if (betaSchedule != BetaSchedule.SQUAREDCOS_CAP_V2
        && !(betaStart > 0 && betaEnd > 0 && betaStart < 1 && betaEnd < 1)) {
      throw invalid(
          "beta_start and beta_end must lie in (0, 1), were " + betaStart + ", " + betaEnd);
    }
    if (stepsOffset < 0 || stepsOffset >= numTrainTimesteps) {
      throw invalid("steps_offset must lie in [0, num_train_timesteps), was " + stepsOffset);
    }
    if (!(clipSampleRange > 0)) {
      throw invalid("clip_sample_range must be positive, was " + clipSampleRange);
    }
    if (originalInferenceSteps < 1 || originalInferenceSteps > numTrainTimesteps) {
      throw invalid(
          "original_inference_steps must lie in [1, num_train_timesteps], was "
              + originalInferenceSteps);
    }
    if (!(timestepScaling > 0)) {
      throw invalid("timestep_scaling must be positive, was " + timestepScaling);
    }
    if (solverOrder < 1 || solverOrder > 2) {
      throw invalid("solver_order " + solverOrder + " is not supported (1 or 2)");
    }
    if (Double.isNaN(lambdaMinClipped)) {
      throw invalid("lambda_min_clipped must be a number");
    }
    if (!(eta >= 0 && eta <= 1)) {
      throw invalid("eta must lie in [0, 1], was " + eta);
    }
  }

  /**
   * Reads a model's {@code scheduler_config.json} for the given kind: keys present are used, keys
   * missing take the defaults of that kind's diffusers class (see {@link #defaults}), as {@code
   * from_pretrained} does. So SD 1.5's file, which has no {@code timestep_spacing}, gives Euler
   * {@code linspace} (diffusers' {@code from_config(pipe.scheduler.config)} would inherit PNDM's
   * {@code leading} instead). Settings that change the algorithm in ways we do not reproduce
   * (Karras or exponential sigmas, thresholding, zero-SNR rescaling, trained betas, …) are refused
   * rather than ignored.
   *
   * @throws IllegalArgumentException naming the key when a value is malformed or not supported
   */
  public static SchedulerConfig from(JsonObject schedulerConfigJson, SchedulerKind kind) {
    return SchedulerConfigJson.read(schedulerConfigJson, kind);
  }

  /**
   * Parses {@code scheduler_config.json} text as Python's {@code json} writes it. diffusers saves
   * {@code lambda_min_clipped} as a bare {@code -Infinity}, which strict JSON parsers (Vert.x's
   * included) refuse; bare {@code NaN}, {@code Infinity} and {@code -Infinity} become strings,
   * which {@link #from} reads as numbers.
   *
   * @throws io.vertx.core.json.DecodeException when the text is not JSON even so
   */
  public static JsonObject parseJson(String text) {
    return new JsonObject(SchedulerConfigJson.quoteNonFinite(text));
  }

  /**
   * The defaults of the diffusers class of {@code kind}. They differ per class: Euler, Euler
   * ancestral and DPM-Solver space timesteps by {@code linspace}, DDIM and LCM by {@code leading};
   * all but LCM default to linear betas 0.0001→0.02, LCM to scaled_linear 0.00085→0.012; DDIM clips
   * the predicted x0 by default, LCM does not.
   */
  public static SchedulerConfig defaults(SchedulerKind kind) {
    boolean lcm = kind == SchedulerKind.LCM;
    boolean leading = kind == SchedulerKind.DDIM || lcm;
    return new SchedulerConfig(
        1000,
        lcm ? 0.00085 : 0.0001,
        lcm ? 0.012 : 0.02,
        lcm ? BetaSchedule.SCALED_LINEAR : BetaSchedule.LINEAR,
        PredictionType.EPSILON,
        leading ? TimestepSpacing.LEADING : TimestepSpacing.LINSPACE,
        0,
        true,
        kind == SchedulerKind.DDIM,
        1.0,
        50,
        10.0,
        2,
        SolverType.MIDPOINT,
        true,
        false,
        FinalSigmas.ZERO,
        Double.NEGATIVE_INFINITY,
        0.0);
  }

  /** This config with DDIM's {@code eta} set (the pipeline argument; 0 is deterministic). */
  public SchedulerConfig withEta(double eta) {
    return new SchedulerConfig(
        numTrainTimesteps,
        betaStart,
        betaEnd,
        betaSchedule,
        predictionType,
        timestepSpacing,
        stepsOffset,
        setAlphaToOne,
        clipSample,
        clipSampleRange,
        originalInferenceSteps,
        timestepScaling,
        solverOrder,
        solverType,
        lowerOrderFinal,
        eulerAtFinal,
        finalSigmas,
        lambdaMinClipped,
        eta);
  }

  private static void requirePositive(String key, int value) {
    if (value < 1) {
      throw invalid(key + " must be positive, was " + value);
    }
  }

  private static IllegalArgumentException invalid(String why) {
    return new IllegalArgumentException("scheduler config: " + why);
  }
}
