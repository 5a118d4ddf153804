package dev.imajin.contracts.gpuboss;

import java.util.List;

/** One device's waiters, in the order they will be served. */
public record DeviceQueue(String device, int waiting, long waitingBytes, List<Waiter> waiters) {

  public DeviceQueue {
    waiters = List.copyOf(waiters);
  }
}
