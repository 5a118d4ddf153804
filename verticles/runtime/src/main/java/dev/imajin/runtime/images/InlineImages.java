package dev.imajin.runtime.images;

import dev.imajin.contracts.ImajinException;
import dev.imajin.contracts.common.ImageData;
import dev.imajin.contracts.common.MediaType;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.Base64;

/**
 * Images carried inline in requests ({@code {"b64": ..., "media_type": ...}}), read with {@link
 * ImageCodec} as opaque RGB, with every message naming the request field. Thread-safe; blocking.
 */
public final class InlineImages {
  private InlineImages() {}

  /** A request's image: the encoded file and the image as decoded. */
  public record Read(byte[] file, BufferedImage image) {}

  /**
   * Decodes a request's image as {@code TYPE_INT_RGB}, transparent pixels composited onto white.
   *
   * @param field the request field, for messages ({@code image}, {@code mask})
   * @param maxPixels the most pixels the header may declare
   * @param limitKey the configuration key of {@code maxPixels}, named in the 413
   * @throws ImajinException as {@link #read}
   */
  public static BufferedImage decode(
      ImageData data, String field, long maxPixels, String limitKey) {
    return opaqueRgb(read(data, field, maxPixels, limitKey).image());
  }

  /**
   * Decodes a request's image as it is stored, keeping the file.
   *
   * @throws ImajinException 400 for invalid base64; 413 when the header declares more than {@code
   *     maxPixels}; 422 for an unknown format, a media type that disagrees with the bytes, size
   *     fields that disagree with the file, or a truncated or corrupt file
   */
  public static Read read(ImageData data, String field, long maxPixels, String limitKey) {
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
      BufferedImage image = ImageCodec.decode(file, maxPixels, abort -> {}).image();
      data.checkDescribes(image.getWidth(), image.getHeight(), file.length, "");
      return new Read(file, image);
    } catch (ImajinException e) {
      String detail = e.getMessage().startsWith(".") ? e.getMessage() : ": " + e.getMessage();
      String limit = e.status() == 413 ? " (" + limitKey + ")" : "";
      throw new ImajinException(e.type(), field + detail + limit, null, e.errors(), null, e);
    }
  }

  /** The image as TYPE_INT_RGB, transparent pixels composited onto white. */
  public static BufferedImage opaqueRgb(BufferedImage image) {
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

  /** The MIME type of a media type. */
  public static String mime(MediaType type) {
    return switch (type) {
      case PNG -> "image/png";
      case JPEG -> "image/jpeg";
      case WEBP -> "image/webp";
    };
  }
}
