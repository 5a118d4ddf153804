package dev.imajin.contracts.identity;

import dev.imajin.contracts.BusMessage;
import java.util.List;

/** One page of identities, with the cursor of the next page. */
public record IdentityPage(List<Identity> identities, String nextCursor) implements BusMessage {

  public IdentityPage {
    identities = List.copyOf(identities);
  }
}
