package dev.imajin.contracts.gpuboss;

import dev.imajin.contracts.BusMessage;
import java.time.Instant;

/**
 * Sent by the broker to {@code imajin.lease.reclaim.<holder>}: unload the model of this idle
 * resident lease and release it, because a waiting request needs {@code neededBytes}.
 */
public record ReclaimRequest(
    String leaseId,
    String device,
    String holder,
    String model,
    long bytes,
    long fencingToken,
    long neededBytes,
    Instant deadlineAt)
    implements BusMessage {}
