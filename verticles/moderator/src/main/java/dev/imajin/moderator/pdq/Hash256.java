package dev.imajin.moderator.pdq;

import java.util.Arrays;
import java.util.Locale;

/**
 * A 256-bit PDQ hash. Bit {@code k} (0 to 255) is the bit of DCT coefficient {@code (k / 16, k %
 * 16)}; the text form is the 256-bit number {@code sum(bit_k * 2^k)} as 64 hexadecimal digits, most
 * significant first, which is the order of the reference's {@code toHexString} (its sixteen 16-bit
 * words from the 15th down to the 0th). Immutable.
 */
public final class Hash256 {
  /** The words, most significant first: {@code words[0]} holds bits 255..192. */
  private final long[] words;

  private Hash256(long[] words) {
    this.words = words;
  }

  /** The hash of the given words, most significant first. */
  public static Hash256 of(long w0, long w1, long w2, long w3) {
    return new Hash256(new long[] {w0, w1, w2, w3});
  }

  /** A hash with the given bits set. */
  static Hash256 fromBits(boolean[] bits) {
    long[] w = new long[4];
    for (int k = 0; k < 256; k++) {
      if (bits[k]) {
        w[3 - (k >>> 6)] |= 1L << (k & 63);
      }
    }
    return new Hash256(w);
  }

  /** Whether the text is a hash: 64 hexadecimal digits, either case. */
  public static boolean isHex(String text) {
    if (text == null || text.length() != 64) {
      return false;
    }
    for (int i = 0; i < 64; i++) {
      if (Character.digit(text.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * Parses 64 hexadecimal digits, either case.
   *
   * @throws IllegalArgumentException for anything else
   */
  public static Hash256 fromHex(String text) {
    if (!isHex(text)) {
      throw new IllegalArgumentException("a PDQ hash is 64 hexadecimal characters");
    }
    long[] w = new long[4];
    for (int i = 0; i < 4; i++) {
      w[i] = Long.parseUnsignedLong(text.substring(16 * i, 16 * i + 16), 16);
    }
    return new Hash256(w);
  }

  /** The 64 lower-case hexadecimal digits, most significant first. */
  public String toHex() {
    StringBuilder sb = new StringBuilder(64);
    for (long w : words) {
      String part = Long.toHexString(w);
      sb.append("0".repeat(16 - part.length())).append(part);
    }
    return sb.toString().toLowerCase(Locale.ROOT);
  }

  /** Bit {@code k}, 0 to 255. */
  public boolean bit(int k) {
    return (words[3 - (k >>> 6)] >>> (k & 63) & 1L) != 0;
  }

  /** The word of bits {@code 64 * (3 - i)} and up, {@code i} from 0 (most significant) to 3. */
  public long word(int i) {
    return words[i];
  }

  /** The 16-bit chunk {@code c} (0 to 15): bits {@code 16c} to {@code 16c + 15}. */
  public int chunk(int c) {
    return (int) (words[3 - (c >>> 2)] >>> ((c & 3) << 4)) & 0xFFFF;
  }

  /** The number of bits set. */
  public int bitCount() {
    return Long.bitCount(words[0])
        + Long.bitCount(words[1])
        + Long.bitCount(words[2])
        + Long.bitCount(words[3]);
  }

  /** The Hamming distance to another hash, 0 to 256. */
  public int distance(Hash256 other) {
    return Long.bitCount(words[0] ^ other.words[0])
        + Long.bitCount(words[1] ^ other.words[1])
        + Long.bitCount(words[2] ^ other.words[2])
        + Long.bitCount(words[3] ^ other.words[3]);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Hash256 h && Arrays.equals(words, h.words);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(words);
  }

  @Override
  public String toString() {
    return toHex();
  }
}
