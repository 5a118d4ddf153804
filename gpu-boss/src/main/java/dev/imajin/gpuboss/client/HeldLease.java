package dev.imajin.gpuboss.client;

import dev.imajin.contracts.ImajinException;
import dev.imajin.contracts.gpuboss.Lease;
import dev.imajin.contracts.gpuboss.ReleasedLease;
import dev.imajin.gpuboss.pool.Fenced;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A lease this process holds. It renews itself every third of its TTL while the process lives. It
 * is {@link #valid()} until it is released, a renewal is refused (the broker reclaimed it), or the
 * local stop time passes: the TTL, minus a margin, after the last successful renewal was sent, on
 * this process's monotonic clock. Work guarded by the lease must stop by then, which is before the
 * broker can grant the memory to anyone else.
 */
public final class HeldLease implements Fenced {
  private static final Logger LOG = LoggerFactory.getLogger(HeldLease.class);

  private final LeaseClient client;
  private final Lease lease;
  private final long marginNanos;
  private final List<Handler<String>> lostHandlers = new CopyOnWriteArrayList<>();
  private final long timer;
  private volatile long stopAtNanos;
  private volatile boolean busy;
  private volatile String lost;

  HeldLease(LeaseClient client, Lease lease, long sentAtNanos) {
    this.client = client;
    this.lease = lease;
    long ttlNanos = lease.ttlMs() * 1_000_000L;
    this.marginNanos = Math.max(ttlNanos / 10, 200_000_000L);
    this.stopAtNanos = sentAtNanos + ttlNanos - marginNanos;
    this.timer = client.vertx().setPeriodic(Math.max(100, lease.ttlMs() / 3), id -> renew(null));
  }

  /** The lease as the broker granted it. */
  public Lease lease() {
    return lease;
  }

  @Override
  public String leaseId() {
    return lease.leaseId();
  }

  @Override
  public String device() {
    return lease.device();
  }

  @Override
  public long fencingToken() {
    return lease.fencingToken();
  }

  @Override
  public String resource() {
    return lease.holder() + "/" + (lease.model() == null ? lease.leaseId() : lease.model());
  }

  @Override
  public boolean valid() {
    return lost == null && System.nanoTime() < stopAtNanos;
  }

  /** Why the lease is no longer valid, or null while it is. */
  public String lostReason() {
    if (lost == null && System.nanoTime() >= stopAtNanos) {
      return "no renewal succeeded in time: stopped a margin before the lease's expiry";
    }
    return lost;
  }

  public boolean busy() {
    return busy;
  }

  /** Runs when the lease is lost (refused renewal, or released); not when the stop time passes. */
  public HeldLease onLost(Handler<String> handler) {
    lostHandlers.add(handler);
    return this;
  }

  /**
   * Tells the broker whether work runs on this (resident) lease now: a busy lease is never asked to
   * unload, and the end of work counts as a use for the least-recently-used order.
   */
  public Future<Void> busy(boolean busy) {
    this.busy = busy;
    return renew(busy);
  }

  /** Gives the memory back. Releasing a lease that is already lost succeeds and does nothing. */
  public Future<Void> release() {
    client.vertx().cancelTimer(timer);
    client.forget(this);
    if (lost != null) {
      return Future.succeededFuture();
    }
    lose("released");
    JsonObject body =
        new JsonObject()
            .put("lease_id", lease.leaseId())
            .put("fencing_token", lease.fencingToken());
    return client.broker().call("releaseLease", body, ReleasedLease.class, null).mapEmpty();
  }

  private Future<Void> renew(Boolean busyNow) {
    if (lost != null) {
      return Future.succeededFuture();
    }
    long sentAt = System.nanoTime();
    JsonObject body =
        new JsonObject()
            .put("lease_id", lease.leaseId())
            .put("fencing_token", lease.fencingToken());
    if (busyNow != null) {
      body.put("busy", busyNow);
    }
    return client
        .broker()
        .call("renewLease", body, Lease.class, null)
        .onSuccess(
            renewed ->
                stopAtNanos =
                    Math.max(stopAtNanos, sentAt + renewed.ttlMs() * 1_000_000L - marginNanos))
        .onFailure(
            failure -> {
              if (failure instanceof ImajinException e && e.status() == 409) {
                client.vertx().cancelTimer(timer);
                client.forget(this);
                lose(e.getMessage());
              } else {
                LOG.warn(
                    "lease {}: renewal failed, retrying (stops in {} ms unless one succeeds): {}",
                    lease.leaseId(),
                    Math.max(0, (stopAtNanos - System.nanoTime()) / 1_000_000),
                    failure.getMessage());
              }
            })
        .mapEmpty();
  }

  private void lose(String reason) {
    if (lost == null) {
      lost = reason;
      lostHandlers.forEach(h -> h.handle(reason));
    }
  }
}
