package dev.imajin.runtime.config;

/** A configuration value that is missing or wrong; the message names the key. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message, null, false, false);
  }
}
