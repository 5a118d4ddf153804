package dev.imajin.contracts.processing;

import com.fasterxml.jackson.annotation.JsonProperty;

/** An encoded image format, by its short name. */
public enum ImageFormat {
  @JsonProperty("png")
  PNG,
  @JsonProperty("jpeg")
  JPEG,
  @JsonProperty("webp")
  WEBP
}
