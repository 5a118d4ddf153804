package dev.imajin.inference.scheduler;

import dev.imajin.inference.scheduler.SchedulerConfig.PredictionType;

/**
 * diffusers' {@code DDIMScheduler} with {@code use_clipped_model_output = false}: integer
 * timesteps, the previous timestep t − T//N whatever the spacing (ᾱ_prev = 1 below 0 when {@code
 * set_alpha_to_one}, else ᾱ_0), x0 clamped when {@code clip_sample}, and x ← √ᾱ_prev·x0 +
 * √(1−ᾱ_prev−σ_t²)·ε + σ_t·z with σ_t = eta·√((1−ᾱ_prev)/(1−ᾱ_t)·(1−ᾱ_t/ᾱ_prev)).
 */
final class DdimScheduler extends AbstractScheduler {
  private final SchedulerConfig config;
  private final NoiseSchedule schedule;
  private final int[] timesteps;
  private final int stride;
  private final float finalAlphaCumprod;
  private final Noise noise;
  private float[] epsilon;
  private float[] fresh;

  private DdimScheduler(
      SchedulerConfig config,
      NoiseSchedule schedule,
      int[] timesteps,
      float finalAlphaCumprod,
      int start,
      Noise noise) {
    super(
        SchedulerKind.DDIM,
        asFloats(timesteps),
        sigmas(schedule, timesteps, finalAlphaCumprod),
        start);
    this.config = config;
    this.schedule = schedule;
    this.timesteps = timesteps;
    this.stride = config.numTrainTimesteps() / timesteps.length;
    this.finalAlphaCumprod = finalAlphaCumprod;
    this.noise = noise;
  }

  static DdimScheduler create(SchedulerConfig config, int steps, double strength, Noise noise) {
    NoiseSchedule schedule = NoiseSchedule.of(config);
    float last = config.setAlphaToOne() ? 1f : schedule.alphaCumprod(0);
    return new DdimScheduler(
        config, schedule, Timesteps.ddim(config, steps), last, startIndex(steps, strength), noise);
  }

  static float[] asFloats(int[] timesteps) {
    float[] out = new float[timesteps.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = timesteps[i];
    }
    return out;
  }

  /** σ of ᾱ at each timestep, then σ of the final ᾱ. */
  static float[] sigmas(NoiseSchedule schedule, int[] timesteps, float finalAlphaCumprod) {
    float[] sigmas = new float[timesteps.length + 1];
    for (int i = 0; i < timesteps.length; i++) {
      sigmas[i] = schedule.sigma(timesteps[i]);
    }
    sigmas[timesteps.length] = NoiseSchedule.sigmaOf(finalAlphaCumprod);
    return sigmas;
  }

  /** ᾱ_t of a step. */
  float alphaProd(int stepIndex) {
    return schedule.alphaCumprod(timesteps[stepIndex]);
  }

  /** ᾱ at t − T//N, or the final ᾱ below 0. */
  float alphaProdPrev(int stepIndex) {
    int previous = timesteps[stepIndex] - stride;
    return previous >= 0 ? schedule.alphaCumprod(previous) : finalAlphaCumprod;
  }

  @Override
  void update(float[] output, int stepIndex, float[] x, float[] x0) {
    float alpha = alphaProd(stepIndex);
    float alphaPrev = alphaProdPrev(stepIndex);
    float beta = 1f - alpha;
    if (epsilon == null) {
      epsilon = new float[x.length];
    }
    predict(config.predictionType(), alpha, beta, output, x, x0, epsilon);
    clip(config, x0);
    float variance = ((1f - alphaPrev) / beta) * (1f - alpha / alphaPrev);
    float std = (float) config.eta() * (float) Math.sqrt(variance);
    float onX0 = (float) Math.sqrt(alphaPrev);
    float onEpsilon = (float) Math.sqrt(1f - alphaPrev - std * std);
    for (int i = 0; i < x.length; i++) {
      x[i] = onX0 * x0[i] + onEpsilon * epsilon[i];
    }
    if (config.eta() > 0) {
      if (fresh == null) {
        fresh = new float[x.length];
      }
      noise.fill(fresh);
      for (int i = 0; i < x.length; i++) {
        x[i] = x[i] + std * fresh[i];
      }
    }
  }

  /**
   * pred_original_sample, and pred_epsilon unless {@code epsilon} is null, at ᾱ_t from the model
   * output.
   */
  static void predict(
      PredictionType type,
      float alpha,
      float beta,
      float[] output,
      float[] x,
      float[] x0,
      float[] epsilon) {
    float rootAlpha = (float) Math.sqrt(alpha);
    float rootBeta = (float) Math.sqrt(beta);
    for (int i = 0; i < x.length; i++) {
      switch (type) {
        case EPSILON -> x0[i] = (x[i] - rootBeta * output[i]) / rootAlpha;
        case SAMPLE -> x0[i] = output[i];
        case V_PREDICTION -> x0[i] = rootAlpha * x[i] - rootBeta * output[i];
      }
      if (epsilon != null) {
        epsilon[i] =
            switch (type) {
              case EPSILON -> output[i];
              case SAMPLE -> (x[i] - rootAlpha * x0[i]) / rootBeta;
              case V_PREDICTION -> rootAlpha * output[i] + rootBeta * x[i];
            };
      }
    }
  }

  @Override
  void noise(float[] original, float[] noise, int stepIndex) {
    NoiseSchedule.addNoise(alphaProd(stepIndex), original, noise);
  }
}
