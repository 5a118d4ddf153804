package dev.imajin.contracts.processing;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A resampling filter; downscaling with the smooth filters is antialiased. */
public enum Filter {
  @JsonProperty("nearest")
  NEAREST,
  @JsonProperty("bilinear")
  BILINEAR,
  @JsonProperty("bicubic")
  BICUBIC,
  @JsonProperty("lanczos")
  LANCZOS
}
