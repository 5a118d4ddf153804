package dev.imajin.contracts.identity;

import java.time.Instant;

/** One enrolled face; its embedding never leaves the service. */
public record EnrolledFace(
    String faceId, FaceBox box, double detectionScore, int facesInImage, Instant addedAt) {}
