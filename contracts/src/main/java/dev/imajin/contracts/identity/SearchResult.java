package dev.imajin.contracts.identity;

import dev.imajin.contracts.BusMessage;
import java.util.List;

/** A 1:N search: one entry per detected face, each with its candidates. */
public record SearchResult(double threshold, int facesDetected, List<FaceCandidates> faces)
    implements BusMessage {

  public SearchResult {
    faces = List.copyOf(faces);
  }
}
