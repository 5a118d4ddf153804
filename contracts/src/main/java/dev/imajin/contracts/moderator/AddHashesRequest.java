package dev.imajin.contracts.moderator;

import dev.imajin.contracts.BusMessage;
import java.util.List;

/** Hashes to add to a bank; all or nothing. */
public record AddHashesRequest(List<BankHashEntry> hashes) implements BusMessage {

  public AddHashesRequest {
    hashes = List.copyOf(hashes);
  }
}
