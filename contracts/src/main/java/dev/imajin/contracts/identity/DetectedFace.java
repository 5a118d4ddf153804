package dev.imajin.contracts.identity;

/** A face found in a query image. */
public record DetectedFace(FaceBox box, double detectionScore) {}
