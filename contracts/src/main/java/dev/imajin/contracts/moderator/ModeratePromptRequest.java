package dev.imajin.contracts.moderator;

import dev.imajin.contracts.BusMessage;

/** A prompt to check against the prohibited-content text rules. */
public record ModeratePromptRequest(String prompt, RequestContext context) implements BusMessage {}
