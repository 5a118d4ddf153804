package dev.imajin.contracts.moderator;

/** A hash to add to a bank, with an optional label. */
public record BankHashEntry(String hash, String label) {}
