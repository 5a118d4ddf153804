package dev.imajin.inference.diffusion;

import dev.imajin.inference.scheduler.Scheduler;

/**
 * Inpainting with an ordinary (4-channel) UNet, as diffusers does it: after each step the latents
 * outside the mask are replaced by the original image's, noised to the next step's level with the
 * starting noise (clean after the last step): x = m·x + (1 − m)·original_t.
 */
final class LatentBlend {
  private final float[] original;
  private final float[] noise;
  private final float[] mask;
  private final float[] noised;

  /**
   * @param original the image's latents, [B, 4, h, w]
   * @param noise the noise the starting latents were made with, same size
   * @param mask [h, w] in [0, 1], 1 where the model paints
   */
  LatentBlend(float[] original, float[] noise, float[] mask) {
    this.original = original;
    this.noise = noise;
    this.mask = mask;
    this.noised = new float[original.length];
  }

  void apply(Scheduler scheduler, float[] x, int stepIndex, int steps) {
    System.arraycopy(original, 0, noised, 0, original.length);
    if (stepIndex + 1 < steps) {
      scheduler.addNoise(noised, noise, stepIndex + 1);
    }
    int plane = mask.length;
    for (int i = 0; i < x.length; i++) {
      float m = mask[i % plane];
      x[i] = (1f - m) * noised[i] + m * x[i];
    }
  }
}
