package dev.imajin.contracts.gpuboss;

import dev.imajin.contracts.BusMessage;
import java.time.Instant;

/** A grant of device memory to a holder until {@code expiresAt}, guarded by a fencing token. */
public record Lease(
    String leaseId,
    String device,
    long bytes,
    String holder,
    long fencingToken,
    Instant grantedAt,
    Instant expiresAt,
    int ttlMs,
    boolean resident,
    String model,
    Integer priority,
    Boolean busy,
    Instant lastUsedAt,
    Long waitedMs)
    implements BusMessage {}
