package dev.imajin.contracts.moderator;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The eight dihedral transforms of an image, as PDQ names them. */
public enum DihedralVariant {
  @JsonProperty("original")
  ORIGINAL,
  @JsonProperty("rotate_90")
  ROTATE_90,
  @JsonProperty("rotate_180")
  ROTATE_180,
  @JsonProperty("rotate_270")
  ROTATE_270,
  @JsonProperty("flip_x")
  FLIP_X,
  @JsonProperty("flip_y")
  FLIP_Y,
  /** Mirrored about the main diagonal (transpose). */
  @JsonProperty("flip_plus_1")
  FLIP_PLUS_1,
  /** Mirrored about the anti-diagonal. */
  @JsonProperty("flip_minus_1")
  FLIP_MINUS_1
}
