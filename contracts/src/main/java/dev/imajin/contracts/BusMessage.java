package dev.imajin.contracts;

/**
 * Marks a record that travels on the event bus as itself, through {@link BusCodec}. Every record of
 * a request or response body implements it.
 */
public interface BusMessage {}
