package dev.imajin.aesthetic;

import dev.imajin.contracts.common.MediaType;
import dev.imajin.runtime.images.ImageCodec;
import io.vertx.core.json.JsonObject;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.Base64;

/** Test images, and their inline form. */
final class Pictures {
  private Pictures() {}

  /** Squares of {@code cell} pixels alternating between two grey levels. */
  static BufferedImage checker(int size, int cell, int dark, int light) {
    BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        int v = ((x / cell) + (y / cell)) % 2 == 0 ? dark : light;
        image.setRGB(x, y, (v << 16) | (v << 8) | v);
      }
    }
    return image;
  }

  static BufferedImage flat(int size, int level) {
    return checker(size, size, level, level);
  }

  static String png(BufferedImage image) {
    return Base64.getEncoder()
        .encodeToString(ImageCodec.encode(image, MediaType.PNG, 95, Color.WHITE));
  }

  static String jpeg(BufferedImage image) {
    return Base64.getEncoder()
        .encodeToString(ImageCodec.encode(image, MediaType.JPEG, 95, Color.WHITE));
  }

  /** {@code {"b64": ...}} of a PNG. */
  static JsonObject inline(BufferedImage image) {
    return new JsonObject().put("b64", png(image));
  }
}
