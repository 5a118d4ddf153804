package dev.imajin.gpuboss.store;

import dev.imajin.contracts.gpuboss.Lease;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A lease as the store keeps it; times are milliseconds of the Redis server's clock.
 *
 * @param usedAtMs for resident leases, the last renewal with {@code busy} (or the grant)
 * @param idempotencyKey the key the lease was acquired with, or null
 */
public record StoredLease(
    String leaseId,
    String device,
    long bytes,
    String holder,
    long fencingToken,
    long grantedAtMs,
    long expiresAtMs,
    int ttlMs,
    boolean resident,
    String model,
    int priority,
    boolean busy,
    long usedAtMs,
    String idempotencyKey) {

  static StoredLease parse(String device, String json) {
    JsonObject o = new JsonObject(json);
    return new StoredLease(
        o.getString("id"),
        device,
        o.getLong("bytes"),
        o.getString("holder"),
        Long.parseLong(o.getValue("token").toString()),
        o.getLong("granted"),
        o.getLong("expires"),
        o.getInteger("ttl"),
        o.getBoolean("resident", false),
        o.getString("model"),
        o.getInteger("priority", 5),
        o.getBoolean("busy", false),
        o.getLong("used_at", o.getLong("granted")),
        o.getString("idem"));
  }

  /** The lease as the contract shows it; {@code waitedMs} is set on grants only. */
  public Lease toContract(Long waitedMs) {
    return new Lease(
        leaseId,
        device,
        bytes,
        holder,
        fencingToken,
        Instant.ofEpochMilli(grantedAtMs),
        Instant.ofEpochMilli(expiresAtMs),
        ttlMs,
        resident,
        model,
        priority,
        resident ? busy : null,
        resident ? Instant.ofEpochMilli(usedAtMs) : null,
        waitedMs);
  }
}
