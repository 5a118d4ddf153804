package dev.imajin.contracts.processing;

import dev.imajin.contracts.BusMessage;
import dev.imajin.contracts.common.ImageResult;
import dev.imajin.contracts.common.ModelRef;

/** The cut-out or mask, the model that made it and the share of foreground pixels. */
public record BackgroundRemovalResult(ImageResult image, ModelRef model, double foregroundFraction)
    implements BusMessage {}
