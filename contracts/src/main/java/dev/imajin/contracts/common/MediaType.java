package dev.imajin.contracts.common;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The image formats imajin reads and writes. */
public enum MediaType {
  @JsonProperty("image/png")
  PNG,
  @JsonProperty("image/jpeg")
  JPEG,
  @JsonProperty("image/webp")
  WEBP
}
