package dev.imajin.inference.diffusion;

import dev.imajin.inference.scheduler.SchedulerKind;
import java.awt.image.BufferedImage;

/**
 * One generation, every value resolved against the model's defaults by the caller (the diffusion
 * service), so the pipeline does no guessing.
 *
 * @param negativePrompt the negative prompt; null or empty for none (SDXL with {@code
 *     force_zeros_for_empty_prompt} then guides against zero embeddings, as diffusers does for
 *     None; other models against the encoding of "")
 * @param width pixels, a multiple of 8 from 64 to 2048
 * @param height pixels, a multiple of 8 from 64 to 2048
 * @param guidance classifier-free guidance scale; at most 1 runs no negative branch (LCM models
 *     never run one: their UNet takes the scale as an embedding)
 * @param scheduler the scheduler, or null for the model's default ({@link
 *     DiffusionPipeline#defaults()})
 * @param seed the first image's seed; image {@code i} uses {@code seed + i}
 * @param count how many images
 * @param previewEvery attach a preview to every k-th step's event; 0 for none
 * @param image the starting image for img2img and inpaint (any size: it is resized to width x
 *     height), or null
 * @param strength how much of the starting image is replaced (img2img, inpaint); ignored for
 *     txt2img
 * @param mask for inpaint, white repainted and black kept (resized like the image), or null
 * @param maskBlur feathering of the mask edge: the standard deviation, in pixels, of a Gaussian
 *     blur of the mask
 */
public record DiffusionRequest(
    Mode mode,
    String prompt,
    String negativePrompt,
    int width,
    int height,
    int steps,
    float guidance,
    SchedulerKind scheduler,
    long seed,
    int count,
    int previewEvery,
    BufferedImage image,
    float strength,
    BufferedImage mask,
    int maskBlur) {

  public enum Mode {
    TXT2IMG,
    IMG2IMG,
    INPAINT
  }
}
