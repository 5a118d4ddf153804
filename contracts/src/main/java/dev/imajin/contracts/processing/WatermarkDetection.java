package dev.imajin.contracts.processing;

import dev.imajin.contracts.BusMessage;

/** Whether a key's watermark is present, how sure the detector is, and the threshold used. */
public record WatermarkDetection(boolean present, double confidence, double threshold)
    implements BusMessage {}
