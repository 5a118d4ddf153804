package dev.imajin.contracts.gpuboss;

import java.time.Instant;

/** A lease request waiting for memory; {@code position} 1 is served next. */
public record Waiter(
    String ticket,
    String holder,
    long bytes,
    int priority,
    int position,
    Instant enqueuedAt,
    Instant deadlineAt,
    boolean resident,
    String model) {}
