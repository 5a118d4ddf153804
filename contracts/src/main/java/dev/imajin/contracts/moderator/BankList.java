package dev.imajin.contracts.moderator;

import dev.imajin.contracts.BusMessage;
import java.util.List;

/** Every hash bank, ordered by id. */
public record BankList(List<HashBank> banks) implements BusMessage {

  public BankList {
    banks = List.copyOf(banks);
  }
}
