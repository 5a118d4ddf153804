package dev.imajin.contracts.moderator;

import dev.imajin.contracts.BusMessage;
import java.util.List;

/** Hashes to remove from a bank. */
public record RemoveHashesRequest(List<String> hashes) implements BusMessage {

  public RemoveHashesRequest {
    hashes = List.copyOf(hashes);
  }
}
