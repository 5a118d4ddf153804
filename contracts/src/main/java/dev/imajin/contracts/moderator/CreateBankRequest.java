package dev.imajin.contracts.moderator;

import dev.imajin.contracts.BusMessage;

/** A new, empty hash bank; its matches take its category. */
public record CreateBankRequest(String id, String description, ModerationCategory category)
    implements BusMessage {}
