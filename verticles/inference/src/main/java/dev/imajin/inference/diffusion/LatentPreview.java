package dev.imajin.inference.diffusion;

import java.awt.image.BufferedImage;

/**
 * A cheap look at latents without the VAE: each latent pixel becomes one RGB pixel through a fixed
 * linear map, rgb = latent·M + b, then clip((rgb + 1)/2, 0, 1). The matrices are the widely shared
 * least-squares fits for the SD 1.x/2.x and the SDXL VAE latent spaces (the ones many UIs use for
 * live previews); they are approximations, good for composition and colour, not detail. Latents are
 * the scaled ones the UNet sees (after {@code scaling_factor}).
 */
final class LatentPreview {
  private static final float[][] SD = {
    {0.3512f, 0.2297f, 0.3227f},
    {0.3250f, 0.4974f, 0.2350f},
    {-0.2829f, 0.1762f, 0.2721f},
    {-0.2120f, -0.2616f, -0.7177f}
  };
  private static final float[] SD_BIAS = {0f, 0f, 0f};
  private static final float[][] SDXL = {
    {0.3651f, 0.4232f, 0.4341f},
    {-0.2533f, -0.0042f, 0.1068f},
    {0.1076f, 0.1111f, -0.0362f},
    {-0.3165f, -0.2492f, -0.2188f}
  };
  private static final float[] SDXL_BIAS = {0.1084f, -0.0175f, -0.0011f};

  private final float[][] matrix;
  private final float[] bias;

  private LatentPreview(float[][] matrix, float[] bias) {
    this.matrix = matrix;
    this.bias = bias;
  }

  static LatentPreview of(boolean xl) {
    return xl ? new LatentPreview(SDXL, SDXL_BIAS) : new LatentPreview(SD, SD_BIAS);
  }

  /** The preview of the 4 x h x w latents at {@code offset}, h x w pixels. */
  BufferedImage render(float[] latents, int offset, int width, int height) {
    int plane = width * height;
    int[] rgb = new int[plane];
    for (int i = 0; i < plane; i++) {
      int pixel = 0;
      for (int c = 0; c < 3; c++) {
        float v = bias[c];
        for (int k = 0; k < 4; k++) {
          v += latents[offset + k * plane + i] * matrix[k][c];
        }
        float unit = Math.max(0f, Math.min(1f, (v + 1f) / 2f));
        pixel = (pixel << 8) | Math.round(unit * 255f);
      }
      rgb[i] = pixel;
    }
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    image.setRGB(0, 0, width, height, rgb, 0, width);
    return image;
  }
}
