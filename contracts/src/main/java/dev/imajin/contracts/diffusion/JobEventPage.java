package dev.imajin.contracts.diffusion;

import dev.imajin.contracts.BusMessage;
import dev.imajin.contracts.common.JobEvent;
import java.util.List;

/** A job's events after a given id: the JSON and event-bus form of its event stream. */
public record JobEventPage(List<JobEvent> events) implements BusMessage {

  public JobEventPage {
    events = List.copyOf(events);
  }
}
