package dev.imajin.contracts.moderator;

import dev.imajin.contracts.BusMessage;
import dev.imajin.contracts.common.ImageData;

/** An image to hash; {@code dihedral} also asks for its eight dihedral variants. */
public record HashImageRequest(ImageData image, Boolean dihedral) implements BusMessage {}
