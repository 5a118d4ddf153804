package dev.imajin.inference.scheduler;

/**
 * diffusers' {@code EulerAncestralDiscreteScheduler}: the Euler step to σ_down plus fresh noise of
 * σ_up, with σ_up = √(σ_next²(σ²−σ_next²)/σ²) and σ_down = √(σ_next²−σ_up²). The final σ is always
 * 0, so the last step adds no noise (and draws none).
 */
final class EulerAncestralScheduler extends EulerFamilyScheduler {
  private final Noise noise;
  private float[] fresh;

  private EulerAncestralScheduler(
      SchedulerConfig config, float[] timesteps, float[] sigmas, int start, Noise noise) {
    super(SchedulerKind.EULER_ANCESTRAL, config, timesteps, sigmas, start);
    this.noise = noise;
  }

  static EulerAncestralScheduler create(
      SchedulerConfig config, int steps, double strength, Noise noise) {
    NoiseSchedule schedule = NoiseSchedule.of(config);
    float[] timesteps = Timesteps.euler(config, steps);
    return new EulerAncestralScheduler(
        config, timesteps, sigmas(schedule, timesteps, 0f), startIndex(steps, strength), noise);
  }

  @Override
  void update(float[] output, int stepIndex, float[] x, float[] x0) {
    float from = sigma(stepIndex);
    float to = sigma(stepIndex + 1);
    float up = (float) Math.sqrt(to * to * (from * from - to * to) / (from * from));
    float down = (float) Math.sqrt(to * to - up * up);
    float dt = down - from;
    predictOriginal(output, x, from, x0);
    for (int i = 0; i < x.length; i++) {
      float derivative = (x[i] - x0[i]) / from;
      x[i] = x[i] + derivative * dt;
    }
    if (up > 0f) {
      if (fresh == null || fresh.length != x.length) {
        fresh = new float[x.length];
      }
      noise.fill(fresh);
      for (int i = 0; i < x.length; i++) {
        x[i] = x[i] + fresh[i] * up;
      }
    }
  }
}
