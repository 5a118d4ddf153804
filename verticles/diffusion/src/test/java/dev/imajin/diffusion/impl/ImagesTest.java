package dev.imajin.diffusion.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imajin.contracts.ImajinException;
import dev.imajin.contracts.common.ImageData;
import dev.imajin.contracts.common.MediaType;
import dev.imajin.contracts.diffusion.ImageFormat;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ImagesTest {
  static byte[] file(int w, int h, String format, int type) throws Exception {
    BufferedImage image = new BufferedImage(w, h, type);
    image.setRGB(0, 0, 0x80FF0000);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, format, out);
    return out.toByteArray();
  }

  static ImageData data(byte[] bytes, MediaType type) {
    return new ImageData(Base64.getEncoder().encodeToString(bytes), type);
  }

  static int status(Runnable call) {
    try {
      call.run();
      return 200;
    } catch (ImajinException e) {
      return e.status();
    }
  }

  @Test
  @DisplayName("Inputs decode to opaque RGB, transparent pixels onto white")
  void decodes() throws Exception {
    BufferedImage png =
        Images.decode(data(file(8, 6, "png", BufferedImage.TYPE_INT_ARGB), null), "image", 1000);
    assertThat(png.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
    assertThat(png.getRGB(1, 1) & 0xFFFFFF).isEqualTo(0xFFFFFF);
    assertThat(png.getRGB(0, 0) & 0xFFFFFF).isNotEqualTo(0xFFFFFF);
    BufferedImage jpeg =
        Images.decode(
            data(file(8, 8, "jpeg", BufferedImage.TYPE_INT_RGB), MediaType.JPEG), "image", 64);
    assertThat(jpeg.getWidth()).isEqualTo(8);
  }

  @Test
  @DisplayName(
      "Too many declared pixels is 413, before decoding; bad files are 422, bad base64 400")
  void refuses() throws Exception {
    byte[] png = file(20, 20, "png", BufferedImage.TYPE_INT_RGB);
    assertThat(status(() -> Images.decode(data(png, null), "image", 399))).isEqualTo(413);
    assertThat(status(() -> Images.decode(data(png, MediaType.JPEG), "image", 400))).isEqualTo(422);
    byte[] jpeg = file(32, 32, "jpeg", BufferedImage.TYPE_INT_RGB);
    byte[] truncated = Arrays.copyOf(jpeg, jpeg.length / 2);
    assertThatThrownBy(() -> Images.decode(data(truncated, null), "mask", 4096))
        .isInstanceOfSatisfying(ImajinException.class, e -> assertThat(e.status()).isEqualTo(422))
        .hasMessageStartingWith("mask: the JPEG file");
    byte[] bmp = file(4, 4, "bmp", BufferedImage.TYPE_INT_RGB);
    assertThatThrownBy(() -> Images.decode(data(bmp, null), "image", 4096))
        .hasMessageContaining("BMP");
    assertThat(status(() -> Images.decode(new ImageData("@@@", null), "image", 10))).isEqualTo(400);
  }

  @Test
  @DisplayName("Outputs are PNG or JPEG with their size; WebP is 501")
  void encodes() {
    BufferedImage image = new BufferedImage(16, 8, BufferedImage.TYPE_INT_RGB);
    var png = Images.result(image, ImageFormat.PNG);
    assertThat(png.mediaType()).isEqualTo(MediaType.PNG);
    assertThat(png.bytes()).isEqualTo(Base64.getDecoder().decode(png.b64()).length);
    assertThat(Images.result(image, ImageFormat.JPEG).mediaType()).isEqualTo(MediaType.JPEG);
    assertThat(status(() -> Images.encode(image, ImageFormat.WEBP))).isEqualTo(501);
  }
}
