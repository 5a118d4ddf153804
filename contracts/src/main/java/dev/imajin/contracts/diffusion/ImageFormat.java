package dev.imajin.contracts.diffusion;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The format generated images are encoded in. */
public enum ImageFormat {
  @JsonProperty("png")
  PNG,
  @JsonProperty("jpeg")
  JPEG,
  @JsonProperty("webp")
  WEBP
}
