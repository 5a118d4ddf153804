package dev.imajin.contracts.common;

import dev.imajin.contracts.BusMessage;
import java.time.Instant;

/** A long piece of work and where to follow its events. */
public record Job(
    String id,
    JobState state,
    Instant createdAt,
    Instant updatedAt,
    String batchId,
    Double progress,
    String stage,
    String eventsUrl,
    Problem error)
    implements BusMessage {}
