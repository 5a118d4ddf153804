package dev.imajin.contracts.gpuboss;

import dev.imajin.contracts.BusMessage;
import java.time.Instant;

/** What a release gave back. */
public record ReleasedLease(
    String leaseId, String device, long bytes, String holder, Instant releasedAt)
    implements BusMessage {}
