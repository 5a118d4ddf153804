package dev.imajin.contracts.processing;

import dev.imajin.contracts.BusMessage;
import dev.imajin.contracts.common.ImageData;

/** Look for the invisible watermark of {@code key}. */
public record WatermarkDetectRequest(ImageData image, String key, Double threshold)
    implements BusMessage {

  @Override
  public String toString() {
    return "WatermarkDetectRequest[image=" + image + ", key=***, threshold=" + threshold + "]";
  }
}
