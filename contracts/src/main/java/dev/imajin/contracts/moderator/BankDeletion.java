package dev.imajin.contracts.moderator;

import dev.imajin.contracts.BusMessage;
import java.time.Instant;

/** A deleted bank and how many hashes went with it. */
public record BankDeletion(String id, long hashesRemoved, Instant deletedAt)
    implements BusMessage {}
