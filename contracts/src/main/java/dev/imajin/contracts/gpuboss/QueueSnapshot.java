package dev.imajin.contracts.gpuboss;

import dev.imajin.contracts.BusMessage;
import java.util.List;

/** The requests waiting for memory, one queue per device. */
public record QueueSnapshot(List<DeviceQueue> queues) implements BusMessage {

  public QueueSnapshot {
    queues = List.copyOf(queues);
  }
}
