package dev.imajin.contracts.identity;

import dev.imajin.contracts.BusMessage;
import java.time.Instant;

/** A deleted identity and how many face embeddings were erased with it. */
public record IdentityDeletion(String id, int facesErased, Instant deletedAt)
    implements BusMessage {}
