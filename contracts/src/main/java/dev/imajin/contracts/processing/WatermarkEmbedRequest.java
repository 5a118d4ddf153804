package dev.imajin.contracts.processing;

import dev.imajin.contracts.BusMessage;
import dev.imajin.contracts.common.ImageData;

/** Embed the invisible watermark derived from {@code key}. */
public record WatermarkEmbedRequest(
    ImageData image, String key, Double strength, OutputOptions output) implements BusMessage {

  public static final double DEFAULT_STRENGTH = 0.5;

  @Override
  public String toString() {
    return "WatermarkEmbedRequest[image=" + image + ", key=***, strength=" + strength + "]";
  }
}
