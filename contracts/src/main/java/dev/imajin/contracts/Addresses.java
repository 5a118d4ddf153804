package dev.imajin.contracts;

/**
 * Event-bus addresses. Every operation of every contract is reachable at {@code
 * imajin.<service>.<operationId>} with the same JSON bodies as over HTTP; parameters travel as
 * fields of the message named in lower case with {@code _} for {@code -}.
 */
public final class Addresses {
  public static final String PREFIX = "imajin.";

  private Addresses() {}

  /** The address of an operation. */
  public static String of(ServiceId service, String operationId) {
    return PREFIX + service.id() + "." + operationId;
  }

  /** Where a job's live progress events are published. */
  public static String progress(String jobId) {
    return PREFIX + "progress." + jobId;
  }
}
