package dev.imajin.contracts.semantic;

/** The sigmoid probability that the image shows {@code text}, and the logit it came from. */
public record TextScore(String text, double score, double logit) {}
