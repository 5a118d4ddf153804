package dev.imajin.contracts.gpuboss;

import dev.imajin.contracts.BusMessage;

/** A holder's answer to a {@link ReclaimRequest}. */
public record ReclaimReply(String leaseId, boolean accepted, String reason) implements BusMessage {}
