package dev.imajin.contracts.gpuboss;

import dev.imajin.contracts.BusMessage;

/** Gives a lease back; the lease id travels as the {@code lease_id} parameter. */
public record ReleaseRequest(long fencingToken) implements BusMessage {}
