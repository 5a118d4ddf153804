package dev.imajin.inference.scheduler;

import dev.imajin.inference.scheduler.SchedulerConfig.FinalSigmas;
import dev.imajin.inference.scheduler.SchedulerConfig.SolverType;

/**
 * diffusers' {@code DPMSolverMultistepScheduler} with {@code algorithm_type = dpmsolver++} (DPM++
 * 2M at the default order 2): the model output is turned into x0 with α_t = 1/√(σ²+1), s_t = σ·α_t;
 * with λ = ln α − ln s and h = λ_next − λ, the first-order update is x ← (s_next/s)·x −
 * α_next(e^{−h}−1)·x0, and the second-order one adds the midpoint (or Heun) correction from the
 * previous x0. The first step run and, with {@code final_sigmas_type = zero} (or {@code
 * euler_at_final}, or {@code lower_order_final} under 15 steps), the last are first order; a step
 * to σ = 0 is exactly x ← x0.
 */
final class DpmSolverMultistepScheduler extends AbstractScheduler {
  private final SchedulerConfig config;
  private float[] previousX0;
  private int lowerOrderNums;

  private DpmSolverMultistepScheduler(
      SchedulerConfig config, int[] timesteps, float[] sigmas, int start) {
    super(SchedulerKind.DPMPP_2M, DdimScheduler.asFloats(timesteps), sigmas, start);
    this.config = config;
  }

  static DpmSolverMultistepScheduler create(SchedulerConfig config, int steps, double strength) {
    NoiseSchedule schedule = NoiseSchedule.of(config);
    int[] timesteps = Timesteps.dpmSolver(config, steps, lastTimestep(schedule, config));
    float[] sigmas = new float[steps + 1];
    for (int i = 0; i < steps; i++) {
      sigmas[i] = schedule.sigma(timesteps[i]);
    }
    sigmas[steps] = config.finalSigmas() == FinalSigmas.SIGMA_MIN ? schedule.sigma(0) : 0f;
    return new DpmSolverMultistepScheduler(config, timesteps, sigmas, startIndex(steps, strength));
  }

  /** T less the timesteps whose λ falls below {@code lambda_min_clipped}. */
  private static int lastTimestep(NoiseSchedule schedule, SchedulerConfig config) {
    int clipped = 0;
    for (int t = 0; t < schedule.size(); t++) {
      float alpha = schedule.alphaCumprod(t);
      if (lambda((float) Math.sqrt(alpha), (float) Math.sqrt(1f - alpha))
          < config.lambdaMinClipped()) {
        clipped++;
      }
    }
    return schedule.size() - clipped;
  }

  @Override
  void update(float[] output, int stepIndex, float[] x, float[] x0) {
    boolean lastStep = stepIndex == steps() - 1;
    boolean lowerOrderFinal =
        lastStep
            && (config.eulerAtFinal()
                || (config.lowerOrderFinal() && steps() < 15)
                || config.finalSigmas() == FinalSigmas.ZERO);
    toX0(output, x, sigma(stepIndex), x0);
    if (config.solverOrder() == 1 || lowerOrderNums < 1 || lowerOrderFinal) {
      firstOrder(stepIndex, x, x0);
    } else {
      secondOrder(stepIndex, x, x0, previousX0);
    }
    if (lowerOrderNums < config.solverOrder()) {
      lowerOrderNums++;
    }
    if (previousX0 == null) {
      previousX0 = new float[x.length];
    }
    System.arraycopy(x0, 0, previousX0, 0, x.length);
  }

  /** convert_model_output for dpmsolver++. */
  private void toX0(float[] output, float[] x, float sigma, float[] x0) {
    float alpha = alpha(sigma);
    float scale = sigma * alpha;
    for (int i = 0; i < x.length; i++) {
      x0[i] =
          switch (config.predictionType()) {
            case EPSILON -> (x[i] - scale * output[i]) / alpha;
            case SAMPLE -> output[i];
            case V_PREDICTION -> alpha * x[i] - scale * output[i];
          };
    }
  }

  private void firstOrder(int stepIndex, float[] x, float[] x0) {
    float sigmaNext = sigma(stepIndex + 1);
    if (sigmaNext == 0f) {
      System.arraycopy(x0, 0, x, 0, x.length);
      return;
    }
    float sigma = sigma(stepIndex);
    float alphaNext = alpha(sigmaNext);
    float scaleNext = sigmaNext * alphaNext;
    float alpha = alpha(sigma);
    float scale = sigma * alpha;
    float h = lambda(alphaNext, scaleNext) - lambda(alpha, scale);
    float onX = scaleNext / scale;
    float onX0 = alphaNext * ((float) StrictMath.exp(-h) - 1f);
    for (int i = 0; i < x.length; i++) {
      x[i] = onX * x[i] - onX0 * x0[i];
    }
  }

  private void secondOrder(int stepIndex, float[] x, float[] m0, float[] m1) {
    float sigmaNext = sigma(stepIndex + 1);
    float sigma0 = sigma(stepIndex);
    float sigma1 = sigma(stepIndex - 1);
    float alphaNext = alpha(sigmaNext);
    float scaleNext = sigmaNext * alphaNext;
    float alpha0 = alpha(sigma0);
    float scale0 = sigma0 * alpha0;
    float alpha1 = alpha(sigma1);
    float scale1 = sigma1 * alpha1;
    float lambdaNext = lambda(alphaNext, scaleNext);
    float lambda0 = lambda(alpha0, scale0);
    float lambda1 = lambda(alpha1, scale1);
    float h = lambdaNext - lambda0;
    float r0 = (lambda0 - lambda1) / h;
    float onD1 = 1f / r0;
    float expm1 = (float) StrictMath.exp(-h) - 1f;
    float onX = scaleNext / scale0;
    float onD0 = alphaNext * expm1;
    boolean midpoint = config.solverType() == SolverType.MIDPOINT;
    float correction = midpoint ? 0.5f * onD0 : alphaNext * (expm1 / h + 1f);
    for (int i = 0; i < x.length; i++) {
      float d1 = onD1 * (m0[i] - m1[i]);
      x[i] =
          midpoint
              ? onX * x[i] - onD0 * m0[i] - correction * d1
              : onX * x[i] - onD0 * m0[i] + correction * d1;
    }
  }

  /** α_t = 1/√(σ²+1). */
  private static float alpha(float sigma) {
    return 1f / (float) Math.sqrt(sigma * sigma + 1f);
  }

  /** λ = ln α − ln s, in float32. */
  private static float lambda(float alpha, float scale) {
    return (float) StrictMath.log(alpha) - (float) StrictMath.log(scale);
  }

  @Override
  void noise(float[] original, float[] noise, int stepIndex) {
    float sigma = sigma(stepIndex);
    float alpha = alpha(sigma);
    float scale = sigma * alpha;
    for (int i = 0; i < original.length; i++) {
      original[i] = alpha * original[i] + scale * noise[i];
    }
  }
}
