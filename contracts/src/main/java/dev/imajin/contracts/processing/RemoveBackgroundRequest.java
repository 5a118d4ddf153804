package dev.imajin.contracts.processing;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.imajin.contracts.BusMessage;
import dev.imajin.contracts.common.ImageData;

/** Cut the foreground out of an image, or return its mask. */
public record RemoveBackgroundRequest(
    ImageData image, String model, Mode mode, String background, OutputOptions output)
    implements BusMessage {

  public enum Mode {
    @JsonProperty("cutout")
    CUTOUT,
    @JsonProperty("mask")
    MASK
  }
}
