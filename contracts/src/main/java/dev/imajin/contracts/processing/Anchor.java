package dev.imajin.contracts.processing;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A point of an image, and the matching point of a box placed on it. */
public enum Anchor {
  @JsonProperty("top_left")
  TOP_LEFT,
  @JsonProperty("top")
  TOP,
  @JsonProperty("top_right")
  TOP_RIGHT,
  @JsonProperty("left")
  LEFT,
  @JsonProperty("center")
  CENTER,
  @JsonProperty("right")
  RIGHT,
  @JsonProperty("bottom_left")
  BOTTOM_LEFT,
  @JsonProperty("bottom")
  BOTTOM,
  @JsonProperty("bottom_right")
  BOTTOM_RIGHT
}
