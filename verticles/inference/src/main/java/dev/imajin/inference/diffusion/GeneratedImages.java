package dev.imajin.inference.diffusion;

import dev.imajin.inference.scheduler.SchedulerKind;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * What a generation made.
 *
 * @param images RGB images, width x height
 * @param seeds the seed of each image
 */
public record GeneratedImages(
    List<BufferedImage> images, List<Long> seeds, SchedulerKind scheduler, Timings timings) {

  /**
   * Wall time per phase, milliseconds.
   *
   * @param encodeMs tokenising, the text encoder(s), and the VAE encoder for img2img and inpaint
   * @param denoiseMs the denoising loop, scheduler included
   * @param unetMs time inside the UNet's session runs (part of denoiseMs)
   * @param decodeMs the VAE decoder and conversion to images
   */
  public record Timings(
      double encodeMs, double denoiseMs, double unetMs, double decodeMs, double totalMs) {}
}
