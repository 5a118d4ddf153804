package dev.imajin.contracts.identity;

import java.util.List;

/** One face of the query image and the identities it resembles, most similar first. */
public record FaceCandidates(DetectedFace face, List<SearchCandidate> candidates) {

  public FaceCandidates {
    candidates = List.copyOf(candidates);
  }
}
