package dev.imajin.diffusion.impl;

import dev.imajin.contracts.ImajinException;
import dev.imajin.contracts.common.ImageData;
import dev.imajin.contracts.common.ImageResult;
import dev.imajin.contracts.common.MediaType;
import dev.imajin.contracts.diffusion.ImageFormat;
import dev.imajin.runtime.images.ImageCodec;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.Base64;

/**
 * The diffusion service's images: inputs read with the runtime's safe {@link ImageCodec} (format
 * recognised from the bytes, declared size checked before decoding: 413; truncated, corrupt or
 * unknown files: 422), as opaque RGB with transparent pixels composited onto white; outputs written
 * as PNG or JPEG (WebP answers 501). Messages name the request field. Thread-safe; blocking.
 */
final class Images {
  static final int JPEG_QUALITY = 95;

  private Images() {}

  /**
   * Decodes an input image.
   *
   * @param field the request field, for messages ({@code image}, {@code mask})
   * @throws ImajinException 400 for invalid base64; 413 when the header declares more than {@code
   *     maxPixels}; 422 for an unknown format, a media type that disagrees with the bytes, or a
   *     truncated or corrupt file
   */
  static BufferedImage decode(ImageData data, String field, long maxPixels) {
    byte[] file;
    try {
      file = Base64.getDecoder().decode(data.b64().replaceAll("\\s+", ""));
    } catch (IllegalArgumentException e) {
      throw ImajinException.badRequest(field + ".b64 is not valid base64: " + e.getMessage());
    }
    try {
      MediaType format = ImageCodec.sniff(file);
      if (data.mediaType() != null && data.mediaType() != format) {
        throw ImajinException.unprocessable(
            ".media_type says "
                + mime(data.mediaType())
                + ", but the bytes are "
                + ImageCodec.name(format));
      }
      return opaqueRgb(ImageCodec.decode(file, maxPixels, abort -> {}).image());
    } catch (ImajinException e) {
      String detail = e.getMessage().startsWith(".") ? e.getMessage() : ": " + e.getMessage();
      String limit = e.status() == 413 ? " (diffusion.max-input-pixels)" : "";
      throw new ImajinException(e.type(), field + detail + limit, null, e.errors(), null, e);
    }
  }

  /** Encodes an output; WebP answers 501 (no maintained Java encoder). */
  static byte[] encode(BufferedImage image, ImageFormat format) {
    return ImageCodec.encode(image, mediaType(format), JPEG_QUALITY, Color.WHITE);
  }

  static ImageResult result(BufferedImage image, ImageFormat format) {
    byte[] bytes = encode(image, format);
    return new ImageResult(
        Base64.getEncoder().encodeToString(bytes),
        mediaType(format),
        image.getWidth(),
        image.getHeight(),
        bytes.length);
  }

  /** The image as TYPE_INT_RGB, transparent pixels composited onto white. */
  static BufferedImage opaqueRgb(BufferedImage image) {
    if (image.getType() == BufferedImage.TYPE_INT_RGB) {
      return image;
    }
    BufferedImage out =
        new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, out.getWidth(), out.getHeight());
    g.drawImage(image, 0, 0, null);
    g.dispose();
    return out;
  }

  static String mime(MediaType type) {
    return switch (type) {
      case PNG -> "image/png";
      case JPEG -> "image/jpeg";
      case WEBP -> "image/webp";
    };
  }

  private static MediaType mediaType(ImageFormat format) {
    return switch (format) {
      case PNG -> MediaType.PNG;
      case JPEG -> MediaType.JPEG;
      case WEBP -> MediaType.WEBP;
    };
  }
}
