package dev.imajin.contracts.processing;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.imajin.contracts.BusMessage;
import dev.imajin.contracts.common.ImageData;

/** Resize to fit, fill or exactly match a box; one missing side follows the aspect ratio. */
public record ResizeRequest(
    ImageData image,
    Integer width,
    Integer height,
    Mode mode,
    Anchor anchor,
    Filter filter,
    Boolean allowEnlarge,
    OutputOptions output)
    implements BusMessage {

  public enum Mode {
    @JsonProperty("fit")
    FIT,
    @JsonProperty("fill")
    FILL,
    @JsonProperty("exact")
    EXACT
  }
}
