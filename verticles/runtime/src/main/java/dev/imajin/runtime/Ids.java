package dev.imajin.runtime;

import java.security.SecureRandom;

/**
 * Identifiers that sort by creation time: a prefix, 10 Crockford base32 characters of the clock's
 * milliseconds and 16 random ones (80 bits), as ULIDs are made.
 */
public final class Ids {
  private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private Ids() {}

  public static String next(String prefix) {
    StringBuilder out = new StringBuilder(prefix);
    long millis = System.currentTimeMillis();
    for (int i = 9; i >= 0; i--) {
      out.append(ALPHABET[(int) ((millis >>> (5 * i)) & 31)]);
    }
    for (int i = 0; i < 16; i++) {
      out.append(ALPHABET[RANDOM.nextInt(32)]);
    }
    return out.toString();
  }
}
