package dev.imajin.inference.scheduler;

import dev.imajin.inference.scheduler.SchedulerConfig.FinalSigmas;

/**
 * diffusers' {@code EulerDiscreteScheduler} with its defaults s_churn = 0 (so σ̂ = σ) and linear
 * interpolation: x0 from the prediction, d = (x − x0)/σ, x ← x + d·(σ_next − σ). The final σ is 0,
 * or σ(0) under {@code final_sigmas_type = sigma_min}.
 */
final class EulerScheduler extends EulerFamilyScheduler {

  private EulerScheduler(SchedulerConfig config, float[] timesteps, float[] sigmas, int start) {
    super(SchedulerKind.EULER, config, timesteps, sigmas, start);
  }

  static EulerScheduler create(SchedulerConfig config, int steps, double strength) {
    NoiseSchedule schedule = NoiseSchedule.of(config);
    float[] timesteps = Timesteps.euler(config, steps);
    float last = config.finalSigmas() == FinalSigmas.SIGMA_MIN ? schedule.sigma(0) : 0f;
    return new EulerScheduler(
        config, timesteps, sigmas(schedule, timesteps, last), startIndex(steps, strength));
  }

  @Override
  void update(float[] output, int stepIndex, float[] x, float[] x0) {
    float sigma = sigma(stepIndex);
    float dt = sigma(stepIndex + 1) - sigma;
    predictOriginal(output, x, sigma, x0);
    for (int i = 0; i < x.length; i++) {
      float derivative = (x[i] - x0[i]) / sigma;
      x[i] = x[i] + derivative * dt;
    }
  }
}
