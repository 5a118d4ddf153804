package dev.imajin.processing.image;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The key's secret: a pseudo-random sign for every coefficient of the watermark band, the DCT
 * frequencies {@code (u, v)} of the working grid with {@code R_MIN <= hypot(u, v) <= R_MAX}. Index
 * {@code u} counts half-cycles down the image and {@code v} across it, whatever the grid size, so
 * the same sign lands on the same normalised frequency at every scale. The signs come from a
 * SplitMix64 stream seeded with the SHA-256 of the UTF-8 key: fixed by this code, not by the JDK.
 */
final class WatermarkPattern {

  /** The lowest radius marked: below it lie the image's overall shading and gradients. */
  static final double R_MIN = 2.5;

  /** The highest radius marked, on the largest images. */
  static final int R_MAX = 96;

  /** The coefficients of the band, in the fixed order the signs follow. */
  static final int[] U;

  static final int[] V;

  /** The radius of each band coefficient. */
  static final double[] RADIUS;

  static {
    int count = 0;
    for (int u = 0; u <= R_MAX; u++) {
      for (int v = 0; v <= R_MAX; v++) {
        count += inBand(u, v) ? 1 : 0;
      }
    }
    U = new int[count];
    V = new int[count];
    RADIUS = new double[count];
    int i = 0;
    for (int u = 0; u <= R_MAX; u++) {
      for (int v = 0; v <= R_MAX; v++) {
        if (inBand(u, v)) {
          U[i] = u;
          V[i] = v;
          RADIUS[i++] = Math.hypot(u, v);
        }
      }
    }
  }

  private WatermarkPattern() {}

  private static boolean inBand(int u, int v) {
    double r = Math.hypot(u, v);
    return r >= R_MIN && r <= R_MAX;
  }

  /** +1 or -1 for each band coefficient, derived from {@code key} alone. */
  static byte[] signs(String key) {
    byte[] digest = sha256(key.getBytes(StandardCharsets.UTF_8));
    long state = 0;
    for (int i = 0; i < 8; i++) {
      state = (state << 8) | (digest[i] & 0xff);
    }
    long salt = 0;
    for (int i = 8; i < 16; i++) {
      salt = (salt << 8) | (digest[i] & 0xff);
    }
    byte[] signs = new byte[U.length];
    for (int i = 0; i < signs.length; i++) {
      state += 0x9E3779B97F4A7C15L;
      long z = state ^ salt;
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      z ^= z >>> 31;
      signs[i] = z < 0 ? (byte) -1 : (byte) 1;
    }
    return signs;
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
