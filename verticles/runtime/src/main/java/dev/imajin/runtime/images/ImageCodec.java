package dev.imajin.runtime.images;

import dev.imajin.contracts.ErrorType;
import dev.imajin.contracts.ImajinException;
import dev.imajin.contracts.common.MediaType;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Reads and writes image files safely. The format is recognised from the bytes (PNG, JPEG, WebP;
 * anything else is refused by name), the declared size is read from the header and checked against
 * the pixel limit before any pixel is decoded, and a file the reader finds truncated or corrupt is
 * refused rather than returned half grey. Decoded images are {@code TYPE_INT_RGB} or, with alpha,
 * {@code TYPE_INT_ARGB}. Thread-safe; each call uses its own reader or writer.
 */
public final class ImageCodec {
  static {
    ImageIO.setUseCache(false);
  }

  private ImageCodec() {}

  /** What a file's header says, before decoding. */
  public record Header(MediaType format, int width, int height) {
    public long pixels() {
      return (long) width * height;
    }
  }

  /** A decoded image and the file it came from. */
  public record Decoded(BufferedImage image, MediaType format, int bytes) {}

  /**
   * The format and declared size of the file.
   *
   * @throws ImajinException 422 for a file that is not PNG, JPEG or WebP or whose header cannot be
   *     read
   */
  public static Header header(byte[] file) {
    MediaType format = sniff(file);
    ImageReader reader = reader(format);
    try (ImageInputStream in =
        new MemoryCacheImageInputStream(new java.io.ByteArrayInputStream(file))) {
      reader.setInput(in, true, true);
      int width = reader.getWidth(0);
      int height = reader.getHeight(0);
      if (width <= 0 || height <= 0) {
        throw unprocessable(
            "the " + name(format) + " header declares " + width + "x" + height + " pixels");
      }
      return new Header(format, width, height);
    } catch (IOException | RuntimeException e) {
      throw e instanceof ImajinException ie
          ? ie
          : unprocessable("the " + name(format) + " header cannot be read: " + describe(e));
    } finally {
      reader.dispose();
    }
  }

  /**
   * Decodes the file after checking its declared size.
   *
   * @param maxPixels the most pixels the header may declare
   * @param abort called with a way to abort the decoding, so a deadline can stop it
   * @throws ImajinException 413 when the header declares too many pixels; 422 for an unknown
   *     format, a truncated or corrupt file
   */
  public static Decoded decode(
      byte[] file, long maxPixels, java.util.function.Consumer<Runnable> abort) {
    Header header = header(file);
    if (header.pixels() > maxPixels) {
      throw new ImajinException(
          ErrorType.PAYLOAD_TOO_LARGE,
          "the image declares "
              + header.width()
              + "x"
              + header.height()
              + " = "
              + header.pixels()
              + " pixels; the limit is "
              + maxPixels);
    }
    ImageReader reader = reader(header.format());
    List<String> warnings = new ArrayList<>();
    reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
    abort.accept(reader::abort);
    try (ImageInputStream in =
        new MemoryCacheImageInputStream(new java.io.ByteArrayInputStream(file))) {
      reader.setInput(in, true, true);
      BufferedImage raw = reader.read(0, reader.getDefaultReadParam());
      if (header.format() == MediaType.JPEG && !endsWithEoi(file)) {
        warnings.add("the file ends before the JPEG end-of-image marker");
      }
      if (!warnings.isEmpty()) {
        throw unprocessable(
            "the " + name(header.format()) + " file is truncated or corrupt: " + warnings.get(0));
      }
      if (raw == null || raw.getWidth() != header.width() || raw.getHeight() != header.height()) {
        throw unprocessable(
            "the " + name(header.format()) + " file decodes to a different size than its header");
      }
      return new Decoded(toIntRgb(raw), header.format(), file.length);
    } catch (IOException | RuntimeException e) {
      throw e instanceof ImajinException ie
          ? ie
          : unprocessable(
              "the " + name(header.format()) + " file cannot be decoded: " + describe(e));
    } finally {
      reader.dispose();
    }
  }

  /**
   * Encodes an image.
   *
   * @param quality 1 to 100, for JPEG
   * @param background the colour transparent pixels are composited onto when the format has no
   *     alpha
   * @throws ImajinException 501 for WebP, which no maintained Java library writes
   */
  public static byte[] encode(
      BufferedImage image, MediaType format, int quality, Color background) {
    return switch (format) {
      case PNG -> write(image, "png", null);
      case JPEG -> write(opaque(image, background), "jpeg", quality / 100f);
      case WEBP -> throw webpOutputNotBuilt();
    };
  }

  /** The 501 for WebP output, which no maintained Java library writes. */
  public static ImajinException webpOutputNotBuilt() {
    return new ImajinException(
        ErrorType.NOT_IMPLEMENTED,
        "WebP output is not built: there is no maintained Java WebP encoder; ask for png or jpeg"
            + " (WebP input is read)");
  }

  /** The format of the file, from its first bytes. */
  public static MediaType sniff(byte[] f) {
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
                : starts(f, 'I', 'I', '*', 0) || starts(f, 'M', 'M', 0, '*')
                    ? "TIFF"
                    : starts(f, 0, 0, 1, 0) ? "ICO" : starts(f, '<') ? "text (SVG or HTML?)" : null;
    throw unprocessable(
        f.length == 0
            ? "the image is empty"
            : (known != null
                    ? "the image is " + known + ", which is not supported"
                    : "the image is not a PNG, JPEG or WebP file")
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
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(name(format).toLowerCase());
    if (!readers.hasNext()) {
      throw new IllegalStateException("no ImageIO reader for " + name(format) + " is installed");
    }
    return readers.next();
  }

  /** The image as INT_RGB or INT_ARGB, copying only when it is another type. */
  public static BufferedImage toIntRgb(BufferedImage raw) {
    int type = raw.getType();
    if (type == BufferedImage.TYPE_INT_RGB || type == BufferedImage.TYPE_INT_ARGB) {
      return raw;
    }
    boolean alpha = raw.getColorModel().hasAlpha();
    int w = raw.getWidth();
    int h = raw.getHeight();
    BufferedImage out =
        new BufferedImage(w, h, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
    int[] row = new int[w];
    Raster raster = raw.getRaster();
    boolean grey =
        raw.getColorModel().getColorSpace().getType() == java.awt.color.ColorSpace.TYPE_GRAY
            && raster.getNumBands() <= 2;
    for (int y = 0; y < h; y++) {
      if (grey) {
        greyRow(
            raster, y, row, raster.getNumBands() == 2, raster.getSampleModel().getSampleSize(0));
      } else {
        raw.getRGB(0, y, w, 1, row, 0, w);
      }
      out.setRGB(0, y, w, 1, row, 0, w);
    }
    return out;
  }

  /** Grey samples as they are stored, not through the gamma mapping of a grey colour space. */
  private static void greyRow(Raster raster, int y, int[] row, boolean alpha, int bits) {
    int shift = Math.max(0, bits - 8);
    for (int x = 0; x < row.length; x++) {
      int v = raster.getSample(x, y, 0) >>> shift;
      int a = alpha ? raster.getSample(x, y, 1) >>> shift : 0xFF;
      row[x] = a << 24 | v << 16 | v << 8 | v;
    }
  }

  private static BufferedImage opaque(BufferedImage image, Color background) {
    if (!image.getColorModel().hasAlpha()) {
      return image;
    }
    int w = image.getWidth();
    int h = image.getHeight();
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int[] row = new int[w];
    int br = background.getRed();
    int bg = background.getGreen();
    int bb = background.getBlue();
    for (int y = 0; y < h; y++) {
      image.getRGB(0, y, w, 1, row, 0, w);
      for (int x = 0; x < w; x++) {
        int p = row[x];
        int a = p >>> 24;
        int r = ((p >> 16 & 0xFF) * a + br * (255 - a) + 127) / 255;
        int g = ((p >> 8 & 0xFF) * a + bg * (255 - a) + 127) / 255;
        int b = ((p & 0xFF) * a + bb * (255 - a) + 127) / 255;
        row[x] = r << 16 | g << 8 | b;
      }
      out.setRGB(0, y, w, 1, row, 0, w);
    }
    return out;
  }

  private static byte[] write(BufferedImage image, String format, Float quality) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
    ByteArrayOutputStream bytes =
        new ByteArrayOutputStream(image.getWidth() * image.getHeight() / 2 + 1024);
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      if (param.canWriteCompressed()) {
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        if (quality != null) {
          param.setCompressionQuality(quality);
        } else {
          // PNG: quality picks the deflate level; 0.75 is level 2, within a few % of level 9's size
          // here
          param.setCompressionQuality(PNG_DEFLATE_QUALITY);
        }
      }
      writer.write(null, new IIOImage(image, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  static final float PNG_DEFLATE_QUALITY = 0.75f;

  public static String name(MediaType format) {
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
    String message = root.getMessage();
    return root instanceof java.io.EOFException
        ? "the file ends too early"
        : message == null ? root.getClass().getSimpleName() : message;
  }

  private static ImajinException unprocessable(String detail) {
    return ImajinException.unprocessable(detail);
  }
}
