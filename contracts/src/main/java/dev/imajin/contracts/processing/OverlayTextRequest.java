package dev.imajin.contracts.processing;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.imajin.contracts.BusMessage;
import dev.imajin.contracts.common.ImageData;

/** Text to draw onto an image, with its font, placement, wrapping and effects. */
public record OverlayTextRequest(
    ImageData image,
    String text,
    Font font,
    String color,
    Double opacity,
    Placement position,
    Align align,
    Boolean wrap,
    Integer maxWidth,
    Integer maxLines,
    Double lineSpacing,
    Boolean shrinkToFit,
    TextOutline outline,
    TextShadow shadow,
    OutputOptions output)
    implements BusMessage {

  public static final String DEFAULT_COLOR = "#FFFFFF";
  public static final double DEFAULT_LINE_SPACING = 1.2;

  public enum Align {
    @JsonProperty("left")
    LEFT,
    @JsonProperty("center")
    CENTER,
    @JsonProperty("right")
    RIGHT
  }
}
