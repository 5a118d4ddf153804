package dev.imajin.contracts.pipeline;

/** Optional validation stages of a generation. Moderation is not among them: it always runs. */
public record Checks(
    Boolean semantic,
    Double semanticThreshold,
    Boolean aesthetic,
    Double aestheticMinScore,
    Integer maxRegenerations) {}
