package dev.imajin.contracts.gpuboss;

import dev.imajin.contracts.BusMessage;

/** A heartbeat for a lease; the lease id travels as the {@code lease_id} parameter. */
public record RenewRequest(long fencingToken, Integer ttlMs, Boolean busy) implements BusMessage {}
