package dev.imajin.contracts.moderator;

/** A prompt text rule that matched the normalised prompt. */
public record RuleHit(
    String ruleId, ModerationCategory category, String matched, boolean obfuscated) {}
