package dev.imajin.processing.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imajin.contracts.ErrorType;
import dev.imajin.contracts.ImajinException;
import dev.imajin.contracts.common.MediaType;
import dev.imajin.processing.TestImages;
import dev.imajin.runtime.images.ImageCodec;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ImageCodecTest {
  static final long LIMIT = 33_554_432;

  static BufferedImage gradient(int w, int h, boolean alpha) {
    BufferedImage image =
        new BufferedImage(w, h, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int a = alpha ? (x * 255 / Math.max(1, w - 1)) : 255;
        image.setRGB(x, y, a << 24 | (x * 255 / w) << 16 | (y * 255 / h) << 8 | 128);
      }
    }
    return image;
  }

  static byte[] imageio(BufferedImage image, String format) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, format, out);
    return out.toByteArray();
  }

  private static void assertProblem(Runnable call, ErrorType type, String... words) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            ImajinException.class,
            e -> {
              assertThat(e.type()).isEqualTo(type);
              assertThat(e.getMessage()).contains(words);
            });
  }

  @Test
  @DisplayName("PNG with and without alpha round-trips to identical pixels")
  void pngRoundTrip() {
    for (boolean alpha : new boolean[] {false, true}) {
      BufferedImage image = gradient(37, 21, alpha);
      byte[] png = ImageCodec.encode(image, MediaType.PNG, 90, Color.WHITE);
      ImageCodec.Decoded decoded = ImageCodec.decode(png, LIMIT, abort -> {});
      assertThat(decoded.format()).isEqualTo(MediaType.PNG);
      assertThat(decoded.image().getColorModel().hasAlpha()).isEqualTo(alpha);
      assertThat(decoded.image().getRGB(0, 0, 37, 21, null, 0, 37))
          .isEqualTo(image.getRGB(0, 0, 37, 21, null, 0, 37));
    }
  }

  @Test
  @DisplayName(
      "JPEG is written with the quality asked, and alpha is composited onto the background")
  void jpeg() {
    BufferedImage transparent = new BufferedImage(16, 16, BufferedImage.TYPE_INT_ARGB);
    byte[] onRed = ImageCodec.encode(transparent, MediaType.JPEG, 90, Color.RED);
    BufferedImage decoded = ImageCodec.decode(onRed, LIMIT, abort -> {}).image();
    assertThat(new Color(decoded.getRGB(8, 8)).getRed()).isGreaterThan(240);
    BufferedImage busy = gradient(256, 256, false);
    assertThat(ImageCodec.encode(busy, MediaType.JPEG, 30, Color.WHITE).length)
        .isLessThan(ImageCodec.encode(busy, MediaType.JPEG, 95, Color.WHITE).length);
  }

  @Test
  @DisplayName("Grey images keep their stored sample values")
  void greyKeepsSamples() throws Exception {
    BufferedImage grey = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
    grey.getRaster().setSample(1, 1, 0, 100);
    BufferedImage decoded = ImageCodec.decode(imageio(grey, "png"), LIMIT, abort -> {}).image();
    assertThat(decoded.getRGB(1, 1) & 0xFFFFFF).isEqualTo(100 << 16 | 100 << 8 | 100);
  }

  @Test
  @DisplayName("A PNG header claiming 30000x30000 is refused with 413 before any pixel is read")
  void pngBomb() {
    byte[] bomb = TestImages.pngHeaderOnly(30_000, 30_000);
    assertThat(ImageCodec.header(bomb))
        .isEqualTo(new ImageCodec.Header(MediaType.PNG, 30_000, 30_000));
    assertProblem(
        () -> ImageCodec.decode(bomb, LIMIT, abort -> {}),
        ErrorType.PAYLOAD_TOO_LARGE,
        "30000x30000",
        "900000000",
        "limit");
  }

  @Test
  @DisplayName("A JPEG whose frame header lies about its size is refused with 413")
  void jpegBomb() throws Exception {
    byte[] jpeg = imageio(gradient(16, 16, false), "jpeg");
    for (int i = 0; i + 9 < jpeg.length; i++) {
      if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == 0xC0) {
        ByteBuffer.wrap(jpeg, i + 5, 4).putShort((short) 30_000).putShort((short) 30_000);
        break;
      }
    }
    assertProblem(
        () -> ImageCodec.decode(jpeg, LIMIT, abort -> {}),
        ErrorType.PAYLOAD_TOO_LARGE,
        "30000x30000");
  }

  @Test
  @DisplayName("Truncated PNG and JPEG files are refused with 422")
  void truncated() throws Exception {
    byte[] png = imageio(gradient(64, 64, false), "png");
    assertProblem(
        () -> ImageCodec.decode(Arrays.copyOf(png, png.length / 2), LIMIT, abort -> {}),
        ErrorType.UNPROCESSABLE,
        "PNG");
    byte[] jpeg = imageio(gradient(512, 512, false), "jpeg");
    assertProblem(
        () -> ImageCodec.decode(Arrays.copyOf(jpeg, jpeg.length * 3 / 4), LIMIT, abort -> {}),
        ErrorType.UNPROCESSABLE,
        "JPEG",
        "truncated");
    assertProblem(
        () -> ImageCodec.decode(Arrays.copyOf(png, 20), LIMIT, abort -> {}),
        ErrorType.UNPROCESSABLE,
        "PNG");
  }

  @Test
  @DisplayName("Unknown formats are refused with 422, naming the format when it is known")
  void unknownFormats() throws Exception {
    byte[] gif = imageio(gradient(4, 4, false), "gif");
    byte[] bmp = imageio(gradient(4, 4, false), "bmp");
    assertProblem(
        () -> ImageCodec.decode(gif, LIMIT, abort -> {}),
        ErrorType.UNPROCESSABLE,
        "GIF",
        "not supported");
    assertProblem(() -> ImageCodec.decode(bmp, LIMIT, abort -> {}), ErrorType.UNPROCESSABLE, "BMP");
    assertProblem(
        () -> ImageCodec.decode("hello, world".getBytes(), LIMIT, abort -> {}),
        ErrorType.UNPROCESSABLE,
        "not a PNG, JPEG or WebP");
    assertProblem(
        () -> ImageCodec.decode(new byte[0], LIMIT, abort -> {}), ErrorType.UNPROCESSABLE, "empty");
  }

  @Test
  @DisplayName("WebP is read; writing it answers 501")
  void webp() {
    byte[] webp = Base64.getDecoder().decode("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==");
    ImageCodec.Decoded decoded = ImageCodec.decode(webp, LIMIT, abort -> {});
    assertThat(decoded.format()).isEqualTo(MediaType.WEBP);
    assertThat(decoded.image().getWidth()).isEqualTo(1);
    assertProblem(
        () -> ImageCodec.encode(decoded.image(), MediaType.WEBP, 90, Color.WHITE),
        ErrorType.NOT_IMPLEMENTED,
        "WebP");
  }

  /** A PNG signature and IHDR chunk declaring the size, and nothing else. */
}
