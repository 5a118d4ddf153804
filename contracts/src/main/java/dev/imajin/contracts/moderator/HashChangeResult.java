package dev.imajin.contracts.moderator;

import dev.imajin.contracts.BusMessage;

/** What adding, removing or importing hashes changed, and the bank's size afterwards. */
public record HashChangeResult(
    String bankId, long added, long removed, long unchanged, long hashCount)
    implements BusMessage {}
