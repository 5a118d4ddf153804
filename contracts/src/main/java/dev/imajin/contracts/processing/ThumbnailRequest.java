package dev.imajin.contracts.processing;

import dev.imajin.contracts.BusMessage;
import dev.imajin.contracts.common.ImageData;

/** A small preview whose longer side is at most {@code maxSize}. */
public record ThumbnailRequest(
    ImageData image, Integer maxSize, Boolean square, Filter filter, OutputOptions output)
    implements BusMessage {

  public static final int DEFAULT_MAX_SIZE = 256;
}
