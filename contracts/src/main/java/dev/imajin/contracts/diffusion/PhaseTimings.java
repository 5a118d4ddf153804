package dev.imajin.contracts.diffusion;

/** Wall time per phase of a generation, in milliseconds; {@code unetMs} is part of denoising. */
public record PhaseTimings(
    Double queueMs,
    Double loadMs,
    double encodeMs,
    double denoiseMs,
    Double unetMs,
    double decodeMs,
    double totalMs) {}
