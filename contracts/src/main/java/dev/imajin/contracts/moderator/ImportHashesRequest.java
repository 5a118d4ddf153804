package dev.imajin.contracts.moderator;

import dev.imajin.contracts.BusMessage;

/**
 * The JSON and event-bus form of a bulk import: {@code text} holds one hash per line, each
 * optionally followed by whitespace or a comma and a label.
 */
public record ImportHashesRequest(String text) implements BusMessage {}
