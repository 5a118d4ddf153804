package dev.imajin.contracts.requestclassifier;

/** A candidate category of a request, with its preset and probability. */
public record CategoryScore(String category, String preset, double confidence) {}
