package dev.imajin.contracts.common;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A moderation decision. */
public enum Verdict {
  @JsonProperty("allow")
  ALLOW,
  @JsonProperty("block")
  BLOCK,
  @JsonProperty("review")
  REVIEW
}
