package dev.imajin.contracts.processing;

import dev.imajin.contracts.BusMessage;
import dev.imajin.contracts.common.ImageResult;

/** The marked image, the strength used and its PSNR against the input, in dB. */
public record WatermarkEmbedResult(ImageResult image, double strength, double psnr)
    implements BusMessage {}
