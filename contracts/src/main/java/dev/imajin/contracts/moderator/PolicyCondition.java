package dev.imajin.contracts.moderator;

/**
 * A condition on one layer's result: a signal ({@code label:<label>}, {@code bank:<id or *>},
 * {@code rule:<id or *>}, {@code concept:<concept>}, {@code face:minor}, {@code
 * identity:protected}, {@code identity:consented_other_owner}) with an optional score band, {@code
 * min_score} inclusive and {@code max_score} exclusive.
 */
public record PolicyCondition(Layer layer, String signal, Double minScore, Double maxScore) {}
