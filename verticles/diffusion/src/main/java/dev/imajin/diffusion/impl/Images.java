package dev.imajin.diffusion.impl;

import dev.imajin.contracts.ImajinException;
import dev.imajin.contracts.common.ImageData;
import dev.imajin.contracts.common.ImageResult;
import dev.imajin.contracts.common.MediaType;
import dev.imajin.contracts.diffusion.ImageFormat;
import dev.imajin.runtime.images.ImageCodec;
import dev.imajin.runtime.images.InlineImages;
import java.awt.Color;
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
    return InlineImages.decode(data, field, maxPixels, "diffusion.max-input-pixels");
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

  private static MediaType mediaType(ImageFormat format) {
    return switch (format) {
      case PNG -> MediaType.PNG;
      case JPEG -> MediaType.JPEG;
      case WEBP -> MediaType.WEBP;
    };
  }
}
