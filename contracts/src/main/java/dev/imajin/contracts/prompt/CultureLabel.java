package dev.imajin.contracts.prompt;

/** A cultural label and its score. */
public record CultureLabel(String label, String name, double score) {}
