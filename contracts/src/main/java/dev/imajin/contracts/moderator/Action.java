package dev.imajin.contracts.moderator;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a fired reason asks for; the verdict is the most severe action of all fired reasons. */
public enum Action {
  @JsonProperty("block")
  BLOCK,
  @JsonProperty("review")
  REVIEW
}
