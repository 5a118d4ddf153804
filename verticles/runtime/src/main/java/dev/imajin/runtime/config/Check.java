package dev.imajin.runtime.config;

/** Validation of configuration values in record constructors; messages name the key. */
public final class Check {
  private Check() {}

  public static int port(String key, int value) {
    return range(key, value, 1, 65535);
  }

  /** A port, or 0 for "pick a free one". */
  public static int portOrZero(String key, int value) {
    return value == 0 ? 0 : port(key, value);
  }

  public static int range(String key, int value, int min, int max) {
    if (value < min || value > max) {
      throw new ConfigException(
          key + ": must be between " + min + " and " + max + ", was " + value);
    }
    return value;
  }

  public static long range(String key, long value, long min, long max) {
    if (value < min || value > max) {
      throw new ConfigException(
          key + ": must be between " + min + " and " + max + ", was " + value);
    }
    return value;
  }

  public static String notBlank(String key, String value) {
    if (value == null || value.isBlank()) {
      throw new ConfigException(key + ": must not be empty");
    }
    return value;
  }

  public static <T> T present(String key, T value) {
    if (value == null) {
      throw new ConfigException(key + ": is required");
    }
    return value;
  }

  private static final java.util.regex.Pattern MODEL_ID =
      java.util.regex.Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._/-]{0,127}$");

  /** A model id of the registry, or empty; trimmed, null read as empty. */
  public static String modelIdOrEmpty(String key, String value) {
    String id = value == null ? "" : value.trim();
    if (!id.isEmpty() && !MODEL_ID.matcher(id).matches()) {
      throw new ConfigException(
          key + ": must be empty or a model id matching " + MODEL_ID.pattern() + ", was " + id);
    }
    return id;
  }
}
