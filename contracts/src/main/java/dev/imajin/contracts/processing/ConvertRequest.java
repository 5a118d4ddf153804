package dev.imajin.contracts.processing;

import dev.imajin.contracts.BusMessage;
import dev.imajin.contracts.common.ImageData;

/** Re-encode an image in another format. */
public record ConvertRequest(
    ImageData image, ImageFormat format, Integer quality, Boolean lossless, String background)
    implements BusMessage {

  public static final int DEFAULT_QUALITY = 90;
  public static final String DEFAULT_BACKGROUND = "#FFFFFF";
}
