package dev.imajin.contracts.moderator;

/**
 * A zero-shot concept of the {@code prohibited_content} layer: a text the dual encoder scores every
 * image against (signal {@code concept:<id>}).
 */
public record PolicyConcept(String id, String text, ModerationCategory category) {}
