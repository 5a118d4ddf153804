package dev.imajin.contracts.moderator;

/** A bank entry within the threshold of the query (or of the variant that matched). */
public record HashMatch(
    String bankId,
    String hash,
    int distance,
    String label,
    ModerationCategory category,
    DihedralVariant variant) {}
