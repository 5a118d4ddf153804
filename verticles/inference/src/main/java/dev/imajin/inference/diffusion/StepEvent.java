package dev.imajin.inference.diffusion;

import java.awt.image.BufferedImage;

/**
 * A denoising step finished.
 *
 * @param image which image of the request (0-based)
 * @param step 1-based step number
 * @param steps steps in all
 * @param timestep the timestep the UNet was given
 * @param sigma the scheduler's sigma at this step
 * @param elapsedMs since the request started
 * @param preview a small image decoded cheaply from the latents (no VAE), or null
 */
public record StepEvent(
    int image,
    int step,
    int steps,
    float timestep,
    float sigma,
    long elapsedMs,
    BufferedImage preview) {}
