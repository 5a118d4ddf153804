package dev.imajin.moderator.pdq;

import dev.imajin.contracts.ImajinException;
import dev.imajin.contracts.common.ImageData;
import dev.imajin.runtime.images.ImageCodec;
import dev.imajin.runtime.images.InlineImages;

/**
 * Hashes image files: decoded with {@link ImageCodec} (format sniffed, pixel limit checked before
 * decoding, truncated files refused), grey-scale files recognised from their header so their
 * samples are hashed as they are stored (as the reference reads a one-channel image), alpha ignored
 * as the reference ignores it. Thread-safe; blocking.
 */
public final class PdqImages {
  private PdqImages() {}

  /**
   * Decodes and hashes a request's inline image.
   *
   * @param field the request field, for messages
   * @param limitKey the configuration key of {@code maxPixels}, named in a 413
   * @throws ImajinException 400 for invalid base64, 413 over the pixel limit, 422 for a file that
   *     cannot be decoded
   */
  public static Pdq.Result hash(ImageData data, String field, long maxPixels, String limitKey) {
    InlineImages.Read read = InlineImages.read(data, field, maxPixels, limitKey);
    return Pdq.hash(read.image(), isGrey(read.file()));
  }

  /** Decodes and hashes a file (PNG, JPEG or WebP). */
  public static Pdq.Result hash(byte[] file, long maxPixels) {
    ImageCodec.Decoded decoded = ImageCodec.decode(file, maxPixels, abort -> {});
    return Pdq.hash(decoded.image(), isGrey(file));
  }

  /**
   * Whether the file stores grey samples: a PNG of colour type 0 or 4, or a JPEG with one
   * component. WebP is always colour.
   */
  public static boolean isGrey(byte[] f) {
    if (f.length > 25 && (f[0] & 0xFF) == 0x89 && f[1] == 'P' && f[12] == 'I' && f[15] == 'R') {
      int colourType = f[25] & 0xFF;
      return colourType == 0 || colourType == 4;
    }
    if (f.length > 3 && (f[0] & 0xFF) == 0xFF && (f[1] & 0xFF) == 0xD8) {
      int i = 2;
      while (i + 9 < f.length) {
        if ((f[i] & 0xFF) != 0xFF) {
          return false;
        }
        int marker = f[i + 1] & 0xFF;
        if (marker == 0xFF) {
          i++;
          continue;
        }
        boolean sof =
            marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
        if (sof) {
          return (f[i + 9] & 0xFF) == 1;
        }
        if (marker == 0xD8 || marker >= 0xD0 && marker <= 0xD7 || marker == 0x01) {
          i += 2;
          continue;
        }
        int length = (f[i + 2] & 0xFF) << 8 | (f[i + 3] & 0xFF);
        i += 2 + length;
      }
    }
    return false;
  }
}
