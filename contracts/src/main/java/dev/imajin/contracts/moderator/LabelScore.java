package dev.imajin.contracts.moderator;

/** The score of one classifier label or zero-shot concept, and whether it reached its threshold. */
public record LabelScore(
    String label, double score, Double threshold, ModerationCategory category, boolean flagged) {}
