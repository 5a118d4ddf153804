package dev.imajin.gpuboss.store;

/**
 * What an acquire script answered: a lease ({@link #granted()}), or why not.
 *
 * @param lease the new lease, or the existing one for a repeated lease id or idempotency key
 * @param existing whether {@link #lease()} already existed before this call
 * @param usedBytes the device's usage after the call
 * @param usableBytes capacity minus reserve; set when the request did not fit
 * @param earliestExpiryMs when the first live lease on the device expires, or -1; set when the
 *     request did not fit
 * @param nowMs the Redis server's clock when the script ran
 */
public record Grant(
    boolean granted,
    StoredLease lease,
    boolean existing,
    long usedBytes,
    long usableBytes,
    long earliestExpiryMs,
    long nowMs) {}
