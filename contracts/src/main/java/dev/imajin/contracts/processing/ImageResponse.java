package dev.imajin.contracts.processing;

import dev.imajin.contracts.BusMessage;
import dev.imajin.contracts.common.ImageResult;

/** The image an operation produced. */
public record ImageResponse(ImageResult image) implements BusMessage {}
