package dev.imajin.contracts.processing;

import dev.imajin.contracts.BusMessage;
import dev.imajin.contracts.common.ImageData;

/** Cut the rectangle at ({@code x}, {@code y}) of the given size out of an image. */
public record CropRequest(
    ImageData image, int x, int y, int width, int height, OutputOptions output)
    implements BusMessage {}
