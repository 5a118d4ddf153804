package dev.imajin.contracts.processing;

import dev.imajin.contracts.BusMessage;
import dev.imajin.contracts.common.ImageData;

/** The image whose metadata to read. */
public record ReadMetadataRequest(ImageData image) implements BusMessage {}
