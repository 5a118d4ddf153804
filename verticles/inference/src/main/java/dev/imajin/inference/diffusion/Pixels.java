package dev.imajin.inference.diffusion;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/** Images to and from the planar float layouts the VAE uses, and the inpainting mask. */
final class Pixels {
  private Pixels() {}

  /** The image as RGB at exactly {@code width} x {@code height}, resized bicubically if need be. */
  static BufferedImage resized(BufferedImage image, int width, int height) {
    if (image.getWidth() == width && image.getHeight() == height) {
      return image;
    }
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.drawImage(image, 0, 0, width, height, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  /** [3, h, w] in [−1, 1]: 2·(v/255) − 1, as diffusers' image processor. */
  static float[] toPlanes(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    int plane = w * h;
    int[] rgb = image.getRGB(0, 0, w, h, null, 0, w);
    float[] out = new float[3 * plane];
    for (int i = 0; i < plane; i++) {
      int p = rgb[i];
      out[i] = unit((p >> 16) & 0xff);
      out[plane + i] = unit((p >> 8) & 0xff);
      out[2 * plane + i] = unit(p & 0xff);
    }
    return out;
  }

  private static float unit(int v) {
    return (v / 255f) * 2f - 1f;
  }

  /** An RGB image from [3, h, w] planes at {@code offset}: clip(x/2 + 0.5, 0, 1), rounded. */
  static BufferedImage fromPlanes(float[] planes, int offset, int width, int height) {
    int plane = width * height;
    int[] rgb = new int[plane];
    for (int i = 0; i < plane; i++) {
      int r = byteOf(planes[offset + i]);
      int g = byteOf(planes[offset + plane + i]);
      int b = byteOf(planes[offset + 2 * plane + i]);
      rgb[i] = (r << 16) | (g << 8) | b;
    }
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    out.setRGB(0, 0, width, height, rgb, 0, width);
    return out;
  }

  private static int byteOf(float x) {
    float v = Math.max(0f, Math.min(1f, x / 2f + 0.5f));
    return (int) Math.rint(v * 255f);
  }

  /**
   * The mask at width x height as [h, w] in [0, 1] (its luma: white repaints), feathered by a
   * Gaussian blur of standard deviation {@code blur} pixels.
   */
  static float[] mask(BufferedImage mask, int width, int height, int blur) {
    int[] rgb = resized(mask, width, height).getRGB(0, 0, width, height, null, 0, width);
    float[] out = new float[rgb.length];
    for (int i = 0; i < rgb.length; i++) {
      int p = rgb[i];
      float luma = 0.299f * ((p >> 16) & 0xff) + 0.587f * ((p >> 8) & 0xff) + 0.114f * (p & 0xff);
      out[i] = luma / 255f;
    }
    return blur > 0 ? blur(out, width, height, blur) : out;
  }

  /** A separable Gaussian blur with edges clamped; the kernel reaches 3σ. */
  static float[] blur(float[] plane, int width, int height, float sigma) {
    int radius = (int) Math.ceil(3 * sigma);
    float[] kernel = new float[2 * radius + 1];
    float sum = 0;
    for (int k = -radius; k <= radius; k++) {
      kernel[k + radius] = (float) Math.exp(-(k * k) / (2.0 * sigma * sigma));
      sum += kernel[k + radius];
    }
    for (int k = 0; k < kernel.length; k++) {
      kernel[k] /= sum;
    }
    float[] rows = new float[plane.length];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        float acc = 0;
        for (int k = -radius; k <= radius; k++) {
          int xx = Math.max(0, Math.min(width - 1, x + k));
          acc += kernel[k + radius] * plane[y * width + xx];
        }
        rows[y * width + x] = acc;
      }
    }
    float[] out = new float[plane.length];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        float acc = 0;
        for (int k = -radius; k <= radius; k++) {
          int yy = Math.max(0, Math.min(height - 1, y + k));
          acc += kernel[k + radius] * rows[yy * width + x];
        }
        out[y * width + x] = acc;
      }
    }
    return out;
  }

  /** The mean of each {@code factor} x {@code factor} block: the mask at latent resolution. */
  static float[] downsample(float[] plane, int width, int height, int factor) {
    int w = width / factor;
    int h = height / factor;
    float[] out = new float[w * h];
    float area = factor * factor;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        out[(y / factor) * w + x / factor] += plane[y * width + x] / area;
      }
    }
    return out;
  }

  /**
   * Pastes {@code original} back where the mask keeps it: each pixel is mask·generated +
   * (1−mask)·original, so pixels outside the (feathered) mask come back exactly.
   */
  static BufferedImage composite(BufferedImage generated, BufferedImage original, float[] mask) {
    int w = generated.getWidth();
    int h = generated.getHeight();
    int[] gen = generated.getRGB(0, 0, w, h, null, 0, w);
    int[] orig = original.getRGB(0, 0, w, h, null, 0, w);
    for (int i = 0; i < gen.length; i++) {
      float m = Math.max(0f, Math.min(1f, mask[i]));
      int out = 0;
      for (int shift = 16; shift >= 0; shift -= 8) {
        float v = m * ((gen[i] >> shift) & 0xff) + (1 - m) * ((orig[i] >> shift) & 0xff);
        out |= Math.round(v) << shift;
      }
      gen[i] = out;
    }
    BufferedImage result = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    result.setRGB(0, 0, w, h, gen, 0, w);
    return result;
  }
}
