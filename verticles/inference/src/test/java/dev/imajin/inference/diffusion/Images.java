package dev.imajin.inference.diffusion;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.Arrays;

/** Image helpers for tests. */
final class Images {
  private Images() {}

  static int[] rgb(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    int[] rgb = image.getRGB(0, 0, w, h, null, 0, w);
    for (int i = 0; i < rgb.length; i++) {
      rgb[i] &= 0xffffff;
    }
    return rgb;
  }

  static boolean same(BufferedImage a, BufferedImage b) {
    return Arrays.equals(rgb(a), rgb(b));
  }

  static long colours(BufferedImage image) {
    return Arrays.stream(rgb(image)).distinct().count();
  }

  /** The mean absolute difference per channel, 0 to 255, over pixels with x in [x0, x1). */
  static double difference(BufferedImage a, BufferedImage b, int x0, int x1) {
    double sum = 0;
    int n = 0;
    for (int y = 0; y < a.getHeight(); y++) {
      for (int x = x0; x < x1; x++) {
        int p = a.getRGB(x, y);
        int q = b.getRGB(x, y);
        for (int shift = 0; shift <= 16; shift += 8) {
          sum += Math.abs(((p >> shift) & 0xff) - ((q >> shift) & 0xff));
          n++;
        }
      }
    }
    return sum / n;
  }

  /** A picture to start from: a red disc on a blue ground, with a diagonal gradient. */
  static BufferedImage picture(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int v = (x + y) * 255 / (width + height);
        image.setRGB(x, y, new Color(v / 3, v / 2, 120 + v / 3).getRGB());
      }
    }
    Graphics2D g = image.createGraphics();
    g.setColor(new Color(220, 40, 30));
    g.fillOval(width / 4, height / 4, width / 2, height / 2);
    g.dispose();
    return image;
  }

  /** White (repaint) left of {@code split}, black (keep) from it on. */
  static BufferedImage leftMask(int width, int height, int split) {
    BufferedImage mask = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = mask.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, split, height);
    g.dispose();
    return mask;
  }
}
