package dev.imajin.contracts.identity;

import dev.imajin.contracts.BusMessage;

/** A 1:1 comparison: whether the most similar face of the image reaches the threshold. */
public record VerifyResult(
    String identityId,
    boolean match,
    Double similarity,
    double threshold,
    int facesDetected,
    DetectedFace face)
    implements BusMessage {}
