package dev.imajin.contracts.gpuboss;

import java.time.Instant;

/** A model held in device memory by a resident lease. */
public record ResidentModel(
    String model, String leaseId, String holder, long bytes, boolean busy, Instant lastUsedAt) {}
