package dev.imajin.contracts.moderator;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What was moderated: an image (with its prompt) or a prompt alone. */
public enum ModerationKind {
  @JsonProperty("image")
  IMAGE,
  @JsonProperty("prompt")
  PROMPT
}
