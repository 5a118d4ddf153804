package dev.imajin.contracts.diffusion;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a generation starts from: text, an image, or an image and a mask. */
public enum GenerationMode {
  @JsonProperty("txt2img")
  TXT2IMG,
  @JsonProperty("img2img")
  IMG2IMG,
  @JsonProperty("inpaint")
  INPAINT
}
