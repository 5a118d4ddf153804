package dev.imajin.contracts.semantic;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How one concept scored against the image, and whether that meets its expectation. */
public record ConceptScore(
    String concept, String text, Expected expected, double score, double logit, boolean passed) {

  public enum Expected {
    @JsonProperty("present")
    PRESENT,
    @JsonProperty("absent")
    ABSENT
  }
}
