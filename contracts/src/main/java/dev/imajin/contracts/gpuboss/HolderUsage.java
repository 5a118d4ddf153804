package dev.imajin.contracts.gpuboss;

/** The memory one holder has leased on a device. */
public record HolderUsage(String holder, long bytes, int leases) {}
