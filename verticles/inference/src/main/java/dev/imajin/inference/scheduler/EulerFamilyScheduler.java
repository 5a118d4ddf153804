package dev.imajin.inference.scheduler;

import dev.imajin.inference.scheduler.SchedulerConfig.PredictionType;
import dev.imajin.inference.scheduler.SchedulerConfig.TimestepSpacing;

/**
 * The sigma schedule shared by EulerDiscrete and EulerAncestralDiscrete: float32 timesteps, σ
 * interpolated linearly (numpy {@code interp}) from the training σ(t) at each, then a final σ
 * appended; inputs scaled by 1/√(σ²+1); {@code add_noise} is x + σ·noise.
 */
abstract class EulerFamilyScheduler extends AbstractScheduler {
  private final PredictionType prediction;
  private final float initNoiseSigma;

  EulerFamilyScheduler(
      SchedulerKind kind, SchedulerConfig config, float[] timesteps, float[] sigmas, int start) {
    super(kind, timesteps, sigmas, start);
    this.prediction = config.predictionType();
    this.initNoiseSigma = initNoiseSigma(sigmas, config.timestepSpacing());
  }

  /** σ at each timestep, then {@code last}. */
  static float[] sigmas(NoiseSchedule schedule, float[] timesteps, float last) {
    float[] sigmas = new float[timesteps.length + 1];
    for (int i = 0; i < timesteps.length; i++) {
      sigmas[i] = (float) schedule.sigmaAt(timesteps[i]);
    }
    sigmas[timesteps.length] = last;
    return sigmas;
  }

  /** σ_max under linspace and trailing spacing, √(σ_max²+1) under leading. */
  private static float initNoiseSigma(float[] sigmas, TimestepSpacing spacing) {
    float max = 0f;
    for (float sigma : sigmas) {
      max = Math.max(max, sigma);
    }
    return spacing == TimestepSpacing.LEADING ? (float) Math.sqrt(max * max + 1f) : max;
  }

  @Override
  public final float initNoiseSigma() {
    return initNoiseSigma;
  }

  @Override
  public final float modelInputDivisor(int stepIndex) {
    super.modelInputDivisor(stepIndex);
    float sigma = sigma(stepIndex);
    return (float) Math.sqrt(sigma * sigma + 1f);
  }

  /**
   * pred_original_sample: x − σ·ε for epsilon, v·(−σ/√(σ²+1)) + x/(σ²+1) for v_prediction, the
   * output itself for sample.
   */
  final void predictOriginal(float[] output, float[] x, float sigma, float[] x0) {
    switch (prediction) {
      case EPSILON -> {
        for (int i = 0; i < x.length; i++) {
          x0[i] = x[i] - sigma * output[i];
        }
      }
      case V_PREDICTION -> {
        float squarePlusOne = sigma * sigma + 1f;
        float onOutput = -sigma / (float) Math.sqrt(squarePlusOne);
        for (int i = 0; i < x.length; i++) {
          x0[i] = output[i] * onOutput + x[i] / squarePlusOne;
        }
      }
      case SAMPLE -> System.arraycopy(output, 0, x0, 0, x.length);
    }
  }

  @Override
  final void noise(float[] original, float[] noise, int stepIndex) {
    float sigma = sigma(stepIndex);
    for (int i = 0; i < original.length; i++) {
      original[i] = original[i] + noise[i] * sigma;
    }
  }
}
