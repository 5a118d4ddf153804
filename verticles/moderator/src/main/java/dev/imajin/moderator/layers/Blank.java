package dev.imajin.moderator.layers;

import dev.imajin.contracts.common.ImageData;
import dev.imajin.contracts.common.MediaType;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import javax.imageio.ImageIO;

/** A small grey PNG that layers send to the services they call to have them load their models. */
final class Blank {
  static final ImageData IMAGE = png();

  private Blank() {}

  private static ImageData png() {
    BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 32; x++) {
        image.setRGB(x, y, 0x808080);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ImageData(Base64.getEncoder().encodeToString(out.toByteArray()), MediaType.PNG);
  }
}
