package dev.imajin.contracts.proxy;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The category and preset a request was given, and who decided. */
public record Classification(String category, String preset, Double confidence, Source source) {

  public enum Source {
    @JsonProperty("classifier")
    CLASSIFIER,
    @JsonProperty("request")
    REQUEST
  }
}
