package dev.imajin.contracts.pipeline;

import dev.imajin.contracts.BusMessage;
import dev.imajin.contracts.common.Job;
import java.time.Instant;
import java.util.List;

/** A batch of jobs. */
public record Batch(String id, Instant createdAt, List<Job> jobs) implements BusMessage {

  public Batch {
    jobs = List.copyOf(jobs);
  }
}
