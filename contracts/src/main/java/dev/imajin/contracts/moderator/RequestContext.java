package dev.imajin.contracts.moderator;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Who asks and for what; recorded with incidents. The identity layer allows a consented identity
 * only when {@code user} is its owner.
 */
public record RequestContext(
    String requestId, String jobId, Integer candidate, String user, Source source) {

  /** The edge a request came through. */
  public enum Source {
    @JsonProperty("pipeline")
    PIPELINE,
    @JsonProperty("proxy")
    PROXY,
    @JsonProperty("api")
    API
  }
}
