package dev.imajin.contracts.moderator;

import dev.imajin.contracts.BusMessage;
import java.util.List;

/** One page of incidents, newest first, with the cursor of the next page. */
public record IncidentPage(List<Incident> incidents, String nextCursor, int retentionDays)
    implements BusMessage {

  public IncidentPage {
    incidents = List.copyOf(incidents);
  }
}
