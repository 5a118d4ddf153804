package dev.imajin.runtime.impl;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/** Request ids: taken from the caller when well formed, otherwise made here. */
public final class RequestIds {
  public static final String HEADER = "X-Request-Id";
  private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
  private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private RequestIds() {}

  /** The caller's id when it is safe to log and echo, else a new one. */
  public static String accept(String offered) {
    return offered != null && ACCEPTED.matcher(offered).matches() ? offered : create();
  }

  public static String create() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    StringBuilder id = new StringBuilder("req_");
    for (byte b : bytes) {
      id.append(ALPHABET[(b & 0xff) % ALPHABET.length]);
    }
    return id.toString();
  }
}
