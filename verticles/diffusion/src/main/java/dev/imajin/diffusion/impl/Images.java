package dev.imajin.diffusion.impl;

import dev.imajin.contracts.ErrorType;
import dev.imajin.contracts.ImajinException;
import dev.imajin.contracts.common.ImageData;
import dev.imajin.contracts.common.ImageResult;
import dev.imajin.contracts.common.MediaType;
import dev.imajin.contracts.diffusion.ImageFormat;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Input images read safely and outputs written. An input's format is recognised from its bytes
 * (PNG, JPEG, WebP; anything else is refused by name), its declared size is read from the header
 * and checked against the pixel limit before any pixel is decoded (413), and a truncated or corrupt
 * file is refused (422) rather than half decoded. Decoded inputs are opaque RGB, transparent pixels
 * composited onto white. Outputs are PNG or JPEG; WebP answers 501. Thread-safe; blocking.
 */
final class Images {
  static final float JPEG_QUALITY = 0.95f;
  static final float PNG_DEFLATE_QUALITY = 0.75f;

  static {
    ImageIO.setUseCache(false);
  }

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
    MediaType format = sniff(file, field);
    if (data.mediaType() != null && data.mediaType() != format) {
      throw ImajinException.unprocessable(
          field
              + ".media_type says "
              + mime(data.mediaType())
              + ", but the bytes are "
              + name(format));
    }
    ImageReader reader = reader(format);
    List<String> warnings = new ArrayList<>();
    reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(file))) {
      reader.setInput(in, true, true);
      int width = reader.getWidth(0);
      int height = reader.getHeight(0);
      long pixels = (long) width * height;
      if (width <= 0 || height <= 0) {
        throw ImajinException.unprocessable(
            field + ": the " + name(format) + " header declares " + width + "x" + height);
      }
      if (pixels > maxPixels) {
        throw new ImajinException(
            ErrorType.PAYLOAD_TOO_LARGE,
            field
                + " declares "
                + width
                + "x"
                + height
                + " = "
                + pixels
                + " pixels; the limit is "
                + maxPixels
                + " (diffusion.max-input-pixels)");
      }
      BufferedImage raw = reader.read(0, reader.getDefaultReadParam());
      if (format == MediaType.JPEG && !endsWithEoi(file)) {
        warnings.add("the file ends before the JPEG end-of-image marker");
      }
      if (!warnings.isEmpty()
          || raw == null
          || raw.getWidth() != width
          || raw.getHeight() != height) {
        throw ImajinException.unprocessable(
            field
                + ": the "
                + name(format)
                + " file is truncated or corrupt"
                + (warnings.isEmpty() ? "" : ": " + warnings.get(0)));
      }
      return opaqueRgb(raw);
    } catch (IOException | RuntimeException e) {
      throw e instanceof ImajinException known
          ? known
          : ImajinException.unprocessable(
              field + ": the " + name(format) + " file cannot be decoded: " + describe(e));
    } finally {
      reader.dispose();
    }
  }

  /** Encodes an output; WebP answers 501 (no maintained Java encoder). */
  static byte[] encode(BufferedImage image, ImageFormat format) {
    return switch (format) {
      case PNG -> write(image, "png", PNG_DEFLATE_QUALITY);
      case JPEG -> write(opaqueRgb(image), "jpeg", JPEG_QUALITY);
      case WEBP -> throw webpUnsupported();
    };
  }

  static ImajinException webpUnsupported() {
    return new ImajinException(
        ErrorType.NOT_IMPLEMENTED,
        "WebP output is not built: there is no maintained Java WebP encoder; ask for png or jpeg");
  }

  static ImageResult result(BufferedImage image, ImageFormat format) {
    byte[] bytes = encode(image, format);
    return new ImageResult(
        Base64.getEncoder().encodeToString(bytes),
        format == ImageFormat.JPEG ? MediaType.JPEG : MediaType.PNG,
        image.getWidth(),
        image.getHeight(),
        bytes.length);
  }

  static MediaType sniff(byte[] f, String field) {
    if (starts(f, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
      return MediaType.PNG;
    }
    if (starts(f, 0xFF, 0xD8, 0xFF)) {
      return MediaType.JPEG;
    }
    if (starts(f, 'R', 'I', 'F', 'F')
        && f.length >= 12
        && f[8] == 'W'
        && f[9] == 'E'
        && f[10] == 'B'
        && f[11] == 'P') {
      return MediaType.WEBP;
    }
    String known =
        starts(f, 'G', 'I', 'F', '8')
            ? "GIF"
            : starts(f, 'B', 'M')
                ? "BMP"
                : starts(f, 'I', 'I', '*', 0) || starts(f, 'M', 'M', 0, '*') ? "TIFF" : null;
    throw ImajinException.unprocessable(
        field
            + (f.length == 0
                ? " is empty"
                : known != null
                    ? " is " + known + ", which is not read"
                    : " is not PNG, JPEG or WebP")
            + "; send PNG, JPEG or WebP");
  }

  private static boolean starts(byte[] file, int... magic) {
    if (file.length < magic.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if ((file[i] & 0xFF) != magic[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean endsWithEoi(byte[] file) {
    for (int i = file.length - 1; i > 0 && i >= file.length - 64; i--) {
      if ((file[i - 1] & 0xFF) == 0xFF && (file[i] & 0xFF) == 0xD9) {
        return true;
      }
    }
    return false;
  }

  private static ImageReader reader(MediaType format) {
    Iterator<ImageReader> readers =
        ImageIO.getImageReadersByFormatName(name(format).toLowerCase(Locale.ROOT));
    if (!readers.hasNext()) {
      throw new IllegalStateException("no ImageIO reader for " + name(format) + " is installed");
    }
    return readers.next();
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

  private static byte[] write(BufferedImage image, String format, float quality) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(image.getWidth() * image.getHeight());
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      if (param.canWriteCompressed()) {
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality);
      }
      writer.write(null, new IIOImage(image, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  static String mime(MediaType type) {
    return switch (type) {
      case PNG -> "image/png";
      case JPEG -> "image/jpeg";
      case WEBP -> "image/webp";
    };
  }

  private static String name(MediaType format) {
    return switch (format) {
      case PNG -> "PNG";
      case JPEG -> "JPEG";
      case WEBP -> "WebP";
    };
  }

  private static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root instanceof java.io.EOFException
        ? "the file ends too early"
        : root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }
}
