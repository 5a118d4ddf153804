package dev.imajin.contracts.gpuboss;

import dev.imajin.contracts.BusMessage;

/**
 * A request for device memory. A null {@code device} lets the broker pick the best fit ({@code
 * cuda} means any GPU); absent optionals take their defaults.
 */
public record LeaseRequest(
    String device,
    long bytes,
    String holder,
    Integer priority,
    Boolean resident,
    String model,
    Integer ttlMs,
    Integer maxWaitMs)
    implements BusMessage {

  public static final int DEFAULT_PRIORITY = 5;
  public static final int DEFAULT_TTL_MS = 30_000;
  public static final int DEFAULT_MAX_WAIT_MS = 0;
}
