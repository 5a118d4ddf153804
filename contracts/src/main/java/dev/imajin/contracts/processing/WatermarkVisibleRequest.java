package dev.imajin.contracts.processing;

import dev.imajin.contracts.BusMessage;
import dev.imajin.contracts.common.ImageData;

/** A visible text or logo watermark (exactly one of them), placed once or tiled. */
public record WatermarkVisibleRequest(
    ImageData image,
    String text,
    ImageData logo,
    Font font,
    String color,
    Double opacity,
    Placement position,
    Double scale,
    Boolean tile,
    Integer tileSpacing,
    Double angle,
    OutputOptions output)
    implements BusMessage {

  public static final double DEFAULT_OPACITY = 0.35;
  public static final double DEFAULT_SCALE = 0.25;
  public static final int DEFAULT_TILE_SPACING = 32;
}
