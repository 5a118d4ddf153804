package dev.imajin.contracts.gpuboss;

import dev.imajin.contracts.BusMessage;
import java.util.List;

/** Live leases, oldest grant first. */
public record LeaseList(List<Lease> leases) implements BusMessage {

  public LeaseList {
    leases = List.copyOf(leases);
  }
}
