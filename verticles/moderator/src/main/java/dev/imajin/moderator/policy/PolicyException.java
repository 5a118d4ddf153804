package dev.imajin.moderator.policy;

/** A policy file that cannot be read or is not a valid policy; the message says where and why. */
public final class PolicyException extends RuntimeException {
  public PolicyException(String message) {
    super(message);
  }

  public PolicyException(String message, Throwable cause) {
    super(message, cause);
  }
}
