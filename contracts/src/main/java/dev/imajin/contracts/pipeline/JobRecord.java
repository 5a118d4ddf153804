package dev.imajin.contracts.pipeline;

import dev.imajin.contracts.BusMessage;
import dev.imajin.contracts.common.Job;
import java.util.List;

/** A job, what each stage did, and its result once it has one. */
public record JobRecord(Job job, List<StageRecord> stages, ImagesResponse result)
    implements BusMessage {

  public JobRecord {
    stages = List.copyOf(stages);
  }
}
