package dev.imajin.inference.scheduler;

import java.util.Objects;

/** What all schedulers share: the schedule, the step order and the denoised buffer. */
abstract class AbstractScheduler implements Scheduler {
  private final SchedulerKind kind;
  private final float[] timesteps;
  private final float[] sigmas;
  private final int startIndex;
  private int nextIndex;
  private float[] denoised;

  /**
   * @param sigmas one per timestep, plus the level after the last step
   */
  AbstractScheduler(SchedulerKind kind, float[] timesteps, float[] sigmas, int startIndex) {
    if (sigmas.length != timesteps.length + 1) {
      throw new IllegalArgumentException("one sigma per timestep, plus the final one");
    }
    this.kind = kind;
    this.timesteps = timesteps;
    this.sigmas = sigmas;
    this.startIndex = startIndex;
    this.nextIndex = startIndex;
  }

  /**
   * diffusers' img2img {@code get_timesteps}: init = min(⌊N·strength⌋, N), start at N − init.
   *
   * @throws IllegalArgumentException when that leaves no step to run
   */
  static int startIndex(int steps, double strength) {
    int init = Math.min((int) (steps * strength), steps);
    if (init < 1) {
      throw new IllegalArgumentException(
          "steps × strength must be at least 1, was " + steps + " × " + strength);
    }
    return steps - init;
  }

  @Override
  public final SchedulerKind kind() {
    return kind;
  }

  @Override
  public final float[] timesteps() {
    return timesteps.clone();
  }

  /** The timestep of a step, without a copy. */
  final float timestep(int stepIndex) {
    return timesteps[stepIndex];
  }

  final int steps() {
    return timesteps.length;
  }

  @Override
  public final int startIndex() {
    return startIndex;
  }

  @Override
  public final float sigma(int stepIndex) {
    return sigmas[Objects.checkIndex(stepIndex, sigmas.length)];
  }

  @Override
  public float initNoiseSigma() {
    return 1f;
  }

  @Override
  public float modelInputDivisor(int stepIndex) {
    Objects.checkIndex(stepIndex, timesteps.length);
    return 1f;
  }

  @Override
  public final float[] step(float[] modelOutput, int stepIndex, float[] sample) {
    Objects.checkIndex(stepIndex, timesteps.length);
    if (stepIndex != nextIndex) {
      throw new IllegalStateException(
          "step " + stepIndex + " out of order: the next step is " + nextIndex);
    }
    Grids.requireSameLength(modelOutput, sample);
    if (denoised == null) {
      denoised = new float[sample.length];
    }
    Grids.requireSameLength(denoised, sample);
    update(modelOutput, stepIndex, sample, denoised);
    nextIndex++;
    return sample;
  }

  /**
   * Moves {@code sample} in place to the next step, leaving the clean estimate in {@code denoised}.
   */
  abstract void update(float[] modelOutput, int stepIndex, float[] sample, float[] denoised);

  @Override
  public final float[] denoised() {
    if (denoised == null) {
      throw new IllegalStateException("no step has run yet");
    }
    return denoised;
  }

  @Override
  public final void addNoise(float[] original, float[] noise, int stepIndex) {
    Objects.checkIndex(stepIndex, timesteps.length);
    Grids.requireSameLength(original, noise);
    noise(original, noise, stepIndex);
  }

  /** diffusers' {@code add_noise} at a step, in place on {@code original}. */
  abstract void noise(float[] original, float[] noise, int stepIndex);

  /** x0 clamped to [−range, range] when the config clips samples. */
  static void clip(SchedulerConfig config, float[] x0) {
    if (config.clipSample()) {
      float range = (float) config.clipSampleRange();
      for (int i = 0; i < x0.length; i++) {
        x0[i] = Math.max(-range, Math.min(range, x0[i]));
      }
    }
  }
}
