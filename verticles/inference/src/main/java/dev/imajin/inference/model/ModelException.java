package dev.imajin.inference.model;

/**
 * A model folder that cannot be used: a bad manifest, a missing or corrupt file, an export that is
 * not recognised. The message names the file (and the manifest key, where there is one).
 */
public final class ModelException extends RuntimeException {
  public ModelException(String message) {
    super(message);
  }

  public ModelException(String message, Throwable cause) {
    super(message, cause);
  }
}
