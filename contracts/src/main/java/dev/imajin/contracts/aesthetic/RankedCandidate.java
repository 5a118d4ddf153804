package dev.imajin.contracts.aesthetic;

/** One candidate's place and scores; {@code index} refers to the request's list. */
public record RankedCandidate(
    int index, int rank, double reward, Double aesthetic, Boolean passed) {}
