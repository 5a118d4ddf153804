package dev.imajin.contracts.moderator;

import dev.imajin.contracts.BusMessage;
import java.time.Instant;

/** A bank of PDQ hashes of known material. */
public record HashBank(
    String id,
    String description,
    ModerationCategory category,
    long hashCount,
    Instant createdAt,
    Instant updatedAt)
    implements BusMessage {}
