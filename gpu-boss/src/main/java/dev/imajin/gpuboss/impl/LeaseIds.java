package dev.imajin.gpuboss.impl;

import java.security.SecureRandom;

/**
 * Lease ids name their device, so that renew and release, which carry only the id, find the
 * device's keys: {@code lse_cpu_<random>} and {@code lse_g<index>_<random>} for {@code
 * cuda:<index>}. The random part is 20 characters of [0-9A-Za-z] (119 bits).
 */
final class LeaseIds {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

  private LeaseIds() {}

  static String create(String device) {
    return "lse_" + tag(device) + "_" + random(20);
  }

  /** A random string of [0-9A-Za-z]. */
  static String random(int length) {
    char[] id = new char[length];
    for (int i = 0; i < length; i++) {
      id[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
    }
    return new String(id);
  }

  /** The device a lease id names, or null when it is not one of ours. */
  static String device(String leaseId) {
    if (leaseId == null || !leaseId.startsWith("lse_")) {
      return null;
    }
    int end = leaseId.indexOf('_', 4);
    if (end < 0) {
      return null;
    }
    String tag = leaseId.substring(4, end);
    if (tag.equals("cpu")) {
      return "cpu";
    }
    if (tag.length() > 1
        && tag.charAt(0) == 'g'
        && tag.substring(1).chars().allMatch(Character::isDigit)) {
      return "cuda:" + Integer.parseInt(tag.substring(1));
    }
    return null;
  }

  private static String tag(String device) {
    return device.equals("cpu") ? "cpu" : "g" + device.substring("cuda:".length());
  }
}
