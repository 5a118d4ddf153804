package dev.imajin.inference.scheduler;

import java.util.Objects;

/**
 * One generation's diffusion scheduler: the timesteps to feed the UNet and the update from one
 * noisy sample to the next, reproducing a diffusers scheduler class (see {@link SchedulerKind}).
 *
 * <p>A pipeline runs it as diffusers does:
 *
 * <pre>{@code
 * Scheduler s = Scheduler.create(config, kind, steps, noise);
 * float[] x = new float[4 * h * w];
 * noise.fill(x);
 * for (int j = 0; j < x.length; j++) x[j] *= s.initNoiseSigma();
 * float[] t = s.timesteps();
 * for (int i = s.startIndex(); i < t.length; i++) {
 *   float[] in = x.clone();          // with CFG: two copies, one batch of 2
 *   s.scaleModelInput(in, i);
 *   float[] out = unet(in, t[i]);    // with CFG: u + g·(c − u)
 *   x = s.step(out, i, x);
 * }
 * // decode x, or s.denoised() for LCM
 * }</pre>
 *
 * Samples are flat float arrays of any length (a batch of latents, for instance); every operation
 * is element-wise, so one scheduler serves a whole batch. Arithmetic is float32 where diffusers
 * computes in float32, so timesteps, sigmas and updates match it to float rounding.
 *
 * <p>Not thread-safe: it keeps the step reached and, for DPM-Solver, the previous prediction.
 * Create one per generation.
 */
public interface Scheduler {

  /** A text-to-image scheduler for {@code steps} inference steps. */
  static Scheduler create(SchedulerConfig config, SchedulerKind kind, int steps, Noise noise) {
    return create(config, kind, steps, 1.0, noise);
  }

  /**
   * A scheduler for {@code steps} inference steps, starting part-way for image-to-image. For every
   * kind but LCM this is diffusers' img2img {@code get_timesteps}: the full schedule, started at
   * {@link #startIndex()} = N − min(⌊N·strength⌋, N). LCM instead passes strength to its {@code
   * set_timesteps}: N steps chosen among the first ⌊original_inference_steps·strength⌋ origin
   * timesteps, started at 0.
   *
   * @param strength in [0, 1]; 1 denoises from pure noise
   * @param noise draws the fresh noise of Euler ancestral, LCM and DDIM with eta &gt; 0
   * @throws IllegalArgumentException when steps is outside [1, num_train_timesteps], strength
   *     outside [0, 1], or steps × strength leaves no step to run
   */
  static Scheduler create(
      SchedulerConfig config, SchedulerKind kind, int steps, double strength, Noise noise) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(noise, "noise");
    if (steps < 1 || steps > config.numTrainTimesteps()) {
      throw new IllegalArgumentException(
          "steps must lie in [1, " + config.numTrainTimesteps() + "], was " + steps);
    }
    if (!(strength >= 0 && strength <= 1)) {
      throw new IllegalArgumentException("strength must lie in [0, 1], was " + strength);
    }
    return switch (kind) {
      case EULER -> EulerScheduler.create(config, steps, strength);
      case EULER_ANCESTRAL -> EulerAncestralScheduler.create(config, steps, strength, noise);
      case DDIM -> DdimScheduler.create(config, steps, strength, noise);
      case DPMPP_2M -> DpmSolverMultistepScheduler.create(config, steps, strength);
      case LCM -> LcmScheduler.create(config, steps, strength, noise);
    };
  }

  SchedulerKind kind();

  /**
   * The timesteps to feed the UNet, one per step, descending: fractional under Euler {@code
   * linspace}, whole numbers otherwise (an int64 UNet truncates them). A fresh copy.
   */
  float[] timesteps();

  /** The first step to run: 0 for text-to-image, later for image-to-image. */
  int startIndex();

  /**
   * The noise level at a step, for progress: the Euler family's σ, the others' equivalent
   * √((1−ᾱ_t)/ᾱ_t). Index N (one past the last step) is the level left after the last step (0
   * unless the config keeps σ_min or ᾱ_0).
   */
  float sigma(int stepIndex);

  /** The standard deviation of the initial noise: multiply N(0,1) latents by it. */
  float initNoiseSigma();

  /**
   * The divisor {@link #scaleModelInput} applies at a step: √(σ²+1) for the Euler family, 1
   * otherwise. A pipeline that copies the sample into a model buffer may divide while copying; the
   * result is the same bit for bit.
   */
  float modelInputDivisor(int stepIndex);

  /** diffusers' {@code scale_model_input}, in place on {@code sample} (of any length). */
  default void scaleModelInput(float[] sample, int stepIndex) {
    float divisor = modelInputDivisor(stepIndex);
    if (divisor != 1f) {
      for (int i = 0; i < sample.length; i++) {
        sample[i] = sample[i] / divisor;
      }
    }
  }

  /**
   * One update: from {@code sample} at step {@code stepIndex} and the model's output there, the
   * sample for the next step, written into {@code sample}, which is returned. {@code modelOutput}
   * is only read; neither array is kept. Steps run in order from {@link #startIndex()}.
   *
   * @throws IllegalStateException when called out of order
   * @throws IllegalArgumentException when the arrays differ in length, or from earlier steps
   */
  float[] step(float[] modelOutput, int stepIndex, float[] sample);

  /**
   * The last step's estimate of the clean sample: LCM's {@code denoised} (what the LCM pipeline
   * decodes), the others' {@code pred_original_sample} (for previews). An array owned by the
   * scheduler, overwritten by the next step.
   *
   * @throws IllegalStateException before the first step
   */
  float[] denoised();

  /**
   * diffusers' {@code add_noise} at a step, in place on {@code original}: x + σ·noise for the Euler
   * family, √ᾱ·x + √(1−ᾱ)·noise for the others. Image-to-image noises the encoded image at {@link
   * #startIndex()}.
   */
  void addNoise(float[] original, float[] noise, int stepIndex);
}
