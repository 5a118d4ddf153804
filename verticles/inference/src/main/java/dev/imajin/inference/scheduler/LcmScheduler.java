package dev.imajin.inference.scheduler;

/**
 * diffusers' {@code LCMScheduler}: the timesteps of {@link Timesteps#lcm}; each step predicts x0 as
 * DDIM does, mixes it with the sample by the consistency boundary condition (c_skip =
 * σ_data²/((s·t)²+σ_data²), c_out = s·t/√((s·t)²+σ_data²), σ_data = 0.5, s = {@code
 * timestep_scaling}) into {@code denoised}, then noises that afresh to the next timestep, or, on
 * the last step, returns it.
 */
final class LcmScheduler extends AbstractScheduler {
  private static final float SIGMA_DATA_SQUARED = 0.25f;

  private final SchedulerConfig config;
  private final NoiseSchedule schedule;
  private final int[] timesteps;
  private final float finalAlphaCumprod;
  private final Noise noise;
  private float[] x0;
  private float[] fresh;

  private LcmScheduler(
      SchedulerConfig config,
      NoiseSchedule schedule,
      int[] timesteps,
      float finalAlphaCumprod,
      Noise noise) {
    super(
        SchedulerKind.LCM,
        DdimScheduler.asFloats(timesteps),
        DdimScheduler.sigmas(schedule, timesteps, 1f),
        0);
    this.config = config;
    this.schedule = schedule;
    this.timesteps = timesteps;
    this.finalAlphaCumprod = finalAlphaCumprod;
    this.noise = noise;
  }

  static LcmScheduler create(SchedulerConfig config, int steps, double strength, Noise noise) {
    NoiseSchedule schedule = NoiseSchedule.of(config);
    float last = config.setAlphaToOne() ? 1f : schedule.alphaCumprod(0);
    return new LcmScheduler(config, schedule, Timesteps.lcm(config, steps, strength), last, noise);
  }

  /** c_skip of the boundary condition at timestep t. */
  static float cSkip(int timestep, double timestepScaling) {
    float scaled = timestep * (float) timestepScaling;
    return SIGMA_DATA_SQUARED / (scaled * scaled + SIGMA_DATA_SQUARED);
  }

  /** c_out of the boundary condition at timestep t. */
  static float cOut(int timestep, double timestepScaling) {
    float scaled = timestep * (float) timestepScaling;
    return scaled / (float) Math.sqrt(scaled * scaled + SIGMA_DATA_SQUARED);
  }

  @Override
  void update(float[] output, int stepIndex, float[] x, float[] denoised) {
    boolean last = stepIndex == steps() - 1;
    int t = timesteps[stepIndex];
    float alpha = schedule.alphaCumprod(t);
    if (x0 == null) {
      x0 = new float[x.length];
    }
    DdimScheduler.predict(config.predictionType(), alpha, 1f - alpha, output, x, x0, null);
    clip(config, x0);
    float skip = cSkip(t, config.timestepScaling());
    float out = cOut(t, config.timestepScaling());
    for (int i = 0; i < x.length; i++) {
      denoised[i] = out * x0[i] + skip * x[i];
    }
    if (last) {
      System.arraycopy(denoised, 0, x, 0, x.length);
      return;
    }
    float alphaNext = alphaBefore(timesteps[stepIndex + 1]);
    float onDenoised = (float) Math.sqrt(alphaNext);
    float onNoise = (float) Math.sqrt(1f - alphaNext);
    if (fresh == null) {
      fresh = new float[x.length];
    }
    noise.fill(fresh);
    for (int i = 0; i < x.length; i++) {
      x[i] = onDenoised * denoised[i] + onNoise * fresh[i];
    }
  }

  private float alphaBefore(int timestep) {
    return timestep >= 0 ? schedule.alphaCumprod(timestep) : finalAlphaCumprod;
  }

  @Override
  void noise(float[] original, float[] noise, int stepIndex) {
    NoiseSchedule.addNoise(schedule.alphaCumprod(timesteps[stepIndex]), original, noise);
  }
}
