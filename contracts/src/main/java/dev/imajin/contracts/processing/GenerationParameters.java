package dev.imajin.contracts.processing;

import java.time.Instant;

/** How an image was generated, as written into and read from PNG text chunks. */
public record GenerationParameters(
    String prompt,
    String negativePrompt,
    String model,
    String modelHash,
    Long seed,
    Integer steps,
    Double guidance,
    String scheduler,
    Double strength,
    Integer width,
    Integer height,
    String software,
    Instant createdAt,
    String jobId) {}
