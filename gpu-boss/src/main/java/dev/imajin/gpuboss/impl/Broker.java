package dev.imajin.gpuboss.impl;

import dev.imajin.contracts.Addresses;
import dev.imajin.contracts.ErrorType;
import dev.imajin.contracts.ImajinException;
import dev.imajin.contracts.gpuboss.Device;
import dev.imajin.contracts.gpuboss.DeviceList;
import dev.imajin.contracts.gpuboss.Lease;
import dev.imajin.contracts.gpuboss.LeaseList;
import dev.imajin.contracts.gpuboss.LeaseRequest;
import dev.imajin.contracts.gpuboss.QueueSnapshot;
import dev.imajin.contracts.gpuboss.ReclaimReply;
import dev.imajin.contracts.gpuboss.ReclaimRequest;
import dev.imajin.contracts.gpuboss.ReleaseRequest;
import dev.imajin.contracts.gpuboss.ReleasedLease;
import dev.imajin.contracts.gpuboss.RenewRequest;
import dev.imajin.gpuboss.GpuBossService;
import dev.imajin.gpuboss.inventory.DeviceSpec;
import dev.imajin.gpuboss.store.DeviceState;
import dev.imajin.gpuboss.store.LeaseStore;
import dev.imajin.gpuboss.store.Outcome;
import dev.imajin.gpuboss.store.StoredLease;
import dev.imajin.runtime.config.ImajinConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lease broker: the store decides every grant; the broker keeps the queues of requests that do
 * not fit yet and serves them when memory frees.
 *
 * <p>All of its state is touched on one Vert.x context. Each device has a queue ordered by
 * priority, then arrival. A dispatch pass walks the queue in order and asks the store for each
 * waiter that fits by the broker's last knowledge of the device's usage (a lower bound of what is
 * free: only this broker grants on its devices, and expiry only frees). A waiter that does not fit
 * may be overtaken by smaller ones behind it until it has waited {@code starvation-ms}; after that,
 * the pass stops at it, so memory that frees is kept for it. Passes run when a request arrives,
 * when a lease is released, and on every sweep that reclaims expired leases or finds waiters;
 * nothing polls Redis faster than the sweep.
 *
 * <p>When the first waiter that does not fit could fit by unloading idle resident models, the
 * broker asks their holders to unload, least recently used first, and never a busy one.
 */
public final class Broker implements GpuBossService {
  private static final Logger LOG = LoggerFactory.getLogger(Broker.class);
  private static final String SERVICE = "gpu-boss";

  private final Vertx vertx;
  private final Context context;
  private final LeaseStore store;
  private final ImajinConfig.GpuBoss config;
  private final BrokerMetrics metrics;
  private final Map<String, Line> lines = new LinkedHashMap<>();
  private long seq;
  private long sweepTimer = -1;
  private boolean storeDown;

  /**
   * @param context the context every call and callback runs on (the verticle's)
   * @param devices the inventory, in listing order
   */
  public Broker(
      Vertx vertx,
      Context context,
      LeaseStore store,
      List<DeviceSpec> devices,
      ImajinConfig.GpuBoss config,
      BrokerMetrics metrics) {
    this.vertx = vertx;
    this.context = context;
    this.store = store;
    this.config = config;
    this.metrics = metrics;
    for (DeviceSpec spec : devices) {
      Line line = new Line(spec);
      lines.put(spec.id(), line);
      metrics.register(spec, () -> line.used, () -> line.queue.size());
    }
  }

  /**
   * Declares every device in the store and starts the sweep. Succeeds even when Redis is
   * unreachable (readiness says so, and the sweep declares the devices once it answers).
   */
  public Future<Void> start() {
    return onContext(
        () -> {
          sweepTimer =
              vertx.setPeriodic(
                  config.sweepIntervalMs(), id -> lines.values().forEach(this::sweep));
          return Future.join(lines.values().stream().map(this::sweep).toList())
              .otherwiseEmpty()
              .mapEmpty();
        });
  }

  /** Stops the sweep and fails every waiter with 503. */
  public void stop() {
    context.runOnContext(
        v -> {
          vertx.cancelTimer(sweepTimer);
          for (Line line : lines.values()) {
            for (Waiting w : List.copyOf(line.queue)) {
              finish(
                  line, w, ImajinException.unavailable(SERVICE, "the broker is stopping", 1), null);
            }
          }
        });
  }

  /** Whether the last call to the store failed. */
  public boolean storeDown() {
    return storeDown;
  }

  // ---------------------------------------------------------------- operations

  @Override
  public Future<DeviceList> listDevices() {
    return onContext(
        () ->
            Future.all(lines.values().stream().map(this::sweep).toList())
                .map(
                    all ->
                        new DeviceList(
                            all.<DeviceState>list().stream()
                                .map(s -> Views.device(lines.get(s.device()), s, false))
                                .toList())));
  }

  @Override
  public Future<Device> getDevice(String device) {
    return onContext(() -> sweep(line(device)).map(s -> Views.device(line(device), s, true)));
  }

  @Override
  public Future<LeaseList> listLeases(String device, String holder, Boolean resident) {
    return onContext(
        () -> {
          List<Line> chosen = device == null ? List.copyOf(lines.values()) : List.of(line(device));
          return Future.all(chosen.stream().map(this::sweep).toList())
              .map(
                  all ->
                      new LeaseList(
                          all.<DeviceState>list().stream()
                              .flatMap(s -> s.leases().stream())
                              .filter(l -> holder == null || holder.equals(l.holder()))
                              .filter(l -> resident == null || resident == l.resident())
                              .sorted(
                                  Comparator.comparingLong(StoredLease::grantedAtMs)
                                      .thenComparingLong(StoredLease::fencingToken))
                              .map(l -> l.toContract(null))
                              .toList()));
        });
  }

  @Override
  public Future<Lease> acquireLease(LeaseRequest request, String idempotencyKey) {
    boolean named = request.device() != null && !request.device().equals("cuda");
    if (idempotencyKey == null || named) {
      return onContext(() -> enqueue(request, idempotencyKey));
    }
    // A retry without a named device may find its lease on any device: look before choosing.
    return onContext(
        () ->
            Future.all(lines.values().stream().map(this::sweep).toList())
                .compose(
                    all ->
                        all.<DeviceState>list().stream()
                            .flatMap(state -> state.leases().stream())
                            .filter(l -> idempotencyKey.equals(l.idempotencyKey()))
                            .findFirst()
                            .map(l -> Future.succeededFuture(l.toContract(0L)))
                            .orElseGet(() -> enqueue(request, idempotencyKey))));
  }

  private Future<Lease> enqueue(LeaseRequest request, String idempotencyKey) {
    return onContext(
        () -> {
          Line line = choose(request.device(), request.bytes());
          if (line.queue.size() >= config.maxWaiting()) {
            metrics.denied(line.spec.id(), "queue-full");
            throw ImajinException.unavailable(
                SERVICE,
                "device "
                    + line.spec.id()
                    + ": "
                    + line.queue.size()
                    + " requests are already waiting (gpu-boss.max-waiting)",
                1);
          }
          Waiting w = new Waiting(seq++, line, request, idempotencyKey);
          line.queue.add(w);
          if (w.maxWaitMs > 0) {
            w.timer = vertx.setTimer(w.maxWaitMs, t -> deny(line, w));
          }
          dispatch(line);
          return w.promise.future();
        });
  }

  @Override
  public Future<Lease> renewLease(String leaseId, RenewRequest request) {
    return onContext(
        () -> {
          Line line = lineOfLease(leaseId);
          return store
              .renew(
                  line.spec.id(), leaseId, request.fencingToken(), request.ttlMs(), request.busy())
              .map(
                  o -> {
                    storeDown = false;
                    if (!o.ok()) {
                      metrics.refused(line.spec.id(), "renew");
                      throw refused(leaseId, request.fencingToken(), o.status());
                    }
                    return o.lease().toContract(null);
                  })
              .onFailure(this::noteStoreFailure);
        });
  }

  @Override
  public Future<ReleasedLease> releaseLease(String leaseId, ReleaseRequest request) {
    return onContext(
        () -> {
          Line line = lineOfLease(leaseId);
          return store
              .release(line.spec.id(), leaseId, request.fencingToken())
              .map(
                  o -> {
                    storeDown = false;
                    if (!o.ok()) {
                      metrics.refused(line.spec.id(), "release");
                      throw refused(leaseId, request.fencingToken(), o.status());
                    }
                    line.used = o.usedBytes();
                    line.reclaiming.remove(leaseId);
                    dispatch(line);
                    StoredLease l = o.lease();
                    return new ReleasedLease(
                        leaseId,
                        l.device(),
                        l.bytes(),
                        l.holder(),
                        Instant.ofEpochMilli(o.nowMs()));
                  })
              .onFailure(this::noteStoreFailure);
        });
  }

  @Override
  public Future<QueueSnapshot> getQueue(String device) {
    return onContext(
        () -> {
          List<Line> chosen = device == null ? List.copyOf(lines.values()) : List.of(line(device));
          return Future.succeededFuture(
              new QueueSnapshot(chosen.stream().map(Views::queue).toList()));
        });
  }

  // ---------------------------------------------------------------- choosing a device

  private Line line(String device) {
    Line line = lines.get(device);
    if (line == null) {
      throw ImajinException.notFound("device", device);
    }
    return line;
  }

  private Line lineOfLease(String leaseId) {
    Line line = lines.get(LeaseIds.device(leaseId));
    if (line == null) {
      throw ImajinException.conflict(
          "lease " + leaseId + " is not live: no device of this broker granted it");
    }
    return line;
  }

  /** The named device, or the one where the request fits best among all devices or all GPUs. */
  private Line choose(String device, long bytes) {
    if (device != null && !device.equals("cuda")) {
      Line line = line(device);
      if (bytes > line.spec.usableBytes()) {
        metrics.denied(device, "never-fits");
        throw ImajinException.unprocessable(
            "device "
                + device
                + ": requested "
                + bytes
                + " bytes, more than it can ever lease ("
                + line.spec.usableBytes()
                + " usable: capacity "
                + line.spec.capacityBytes()
                + " minus reserve "
                + line.spec.reserveBytes()
                + ")");
      }
      return line;
    }
    List<Line> candidates =
        lines.values().stream()
            .filter(l -> device == null || l.spec.kind().equals("cuda"))
            .toList();
    if (candidates.isEmpty()) {
      throw ImajinException.unprocessable(
          "requested any GPU, and this node has none (devices: "
              + String.join(", ", lines.keySet())
              + ")");
    }
    List<Line> possible = candidates.stream().filter(l -> bytes <= l.spec.usableBytes()).toList();
    if (possible.isEmpty()) {
      throw ImajinException.unprocessable(
          "requested "
              + bytes
              + " bytes, more than any "
              + (device == null ? "device" : "GPU")
              + " can ever lease ("
              + candidates.stream()
                  .map(l -> l.spec.id() + " " + l.spec.usableBytes() + " usable")
                  .collect(Collectors.joining(", "))
              + ")");
    }
    return possible.stream()
        .filter(l -> l.queue.isEmpty() && l.free() >= bytes)
        .min(Comparator.comparingLong(Line::free))
        .orElseGet(
            () ->
                possible.stream()
                    .max(Comparator.comparingLong(Line::free).thenComparing(l -> -l.queue.size()))
                    .orElseThrow());
  }

  // ---------------------------------------------------------------- serving the queue

  private void dispatch(Line line) {
    if (line.dispatching) {
      line.again = true;
      return;
    }
    line.dispatching = true;
    line.again = false;
    List<Waiting> order = new ArrayList<>(line.queue);
    order.forEach(w -> w.seen = true);
    pass(line, order.iterator())
        .onComplete(
            done -> {
              line.dispatching = false;
              Throwable failure = done.failed() ? done.cause() : null;
              for (Waiting w : List.copyOf(line.queue)) {
                if (w.maxWaitMs == 0 && w.seen) {
                  if (failure != null) {
                    finish(line, w, failure, null);
                  } else {
                    deny(line, w);
                  }
                }
              }
              if (line.again) {
                dispatch(line);
              } else {
                evict(line);
              }
            });
  }

  /** Grants waiters in order while they fit; fails when the store does. */
  private Future<Void> pass(Line line, Iterator<Waiting> order) {
    if (line.quarantined()) {
      return Future.succeededFuture();
    }
    while (order.hasNext()) {
      Waiting w = order.next();
      if (w.done) {
        continue;
      }
      // A request with an idempotency key may be a retry of a live lease: the store says.
      if (w.bytes <= line.free() || w.idempotencyKey != null) {
        return grant(line, w)
            .compose(
                granted ->
                    granted || !aged(w) ? pass(line, order) : Future.<Void>succeededFuture());
      }
      if (aged(w)) {
        return Future.succeededFuture();
      }
    }
    return Future.succeededFuture();
  }

  private boolean aged(Waiting w) {
    return System.nanoTime() - w.enqueuedNanos >= config.starvationMs() * 1_000_000;
  }

  /** Asks the store for one waiter; true when granted. */
  private Future<Boolean> grant(Line line, Waiting w) {
    return store
        .acquire(
            line.spec.id(),
            w.leaseId,
            w.bytes,
            w.request.holder(),
            w.ttlMs,
            w.resident,
            w.request.model(),
            w.priority,
            w.idempotencyKey)
        .map(
            g -> {
              storeDown = false;
              line.used = g.usedBytes();
              if (!g.granted()) {
                return false;
              }
              line.maxTtlMs = Math.max(line.maxTtlMs, g.lease().ttlMs());
              if (w.done) {
                // Its deadline passed while the script ran: nobody will use a lease made for it.
                // A lease that already existed (same idempotency key) belongs to an earlier caller.
                if (!g.existing()) {
                  store.release(line.spec.id(), w.leaseId, g.lease().fencingToken());
                  line.used -= g.lease().bytes();
                }
                return false;
              }
              long waitedMs = (System.nanoTime() - w.enqueuedNanos) / 1_000_000;
              metrics.granted(line.spec.id(), waitedMs);
              finish(line, w, null, g.lease().toContract(waitedMs));
              return true;
            })
        .recover(
            failure -> {
              if (isNotFound(failure)) {
                lost(line);
                return Future.succeededFuture(false);
              }
              noteStoreFailure(failure);
              // The script may have run before the reply was lost: remove the lease by its id.
              store.abort(line.spec.id(), w.leaseId);
              finish(line, w, failure, null);
              return Future.failedFuture(failure);
            });
  }

  /**
   * Fails a waiter that did not fit in time, saying what it asked, what is free and who holds it.
   */
  private void deny(Line line, Waiting w) {
    if (w.done) {
      return;
    }
    int ahead = 0;
    for (Waiting other : line.queue) {
      if (other == w) {
        break;
      }
      ahead++;
    }
    int waitingAhead = ahead;
    w.done = true; // nothing grants it from here on
    sweep(line)
        .onComplete(
            state -> {
              if (state.failed()) {
                finish(line, w, state.cause(), null);
                return;
              }
              metrics.denied(line.spec.id(), "timeout");
              DeviceState s = state.result();
              long retryMs =
                  s.leases().stream().mapToLong(StoredLease::expiresAtMs).min().orElse(s.nowMs())
                      - s.nowMs();
              finish(
                  line,
                  w,
                  new ImajinException(
                      ErrorType.CONFLICT,
                      Views.denial(s, w.bytes, waitingAhead, w.maxWaitMs),
                      SERVICE,
                      List.of(),
                      (int) Math.max(1, (retryMs + 999) / 1000),
                      null),
                  null);
            });
  }

  private void finish(Line line, Waiting w, Throwable failure, Lease lease) {
    w.done = true;
    line.queue.remove(w);
    if (w.timer >= 0) {
      vertx.cancelTimer(w.timer);
    }
    if (failure != null) {
      w.promise.tryFail(failure);
    } else {
      w.promise.tryComplete(lease);
    }
  }

  // ---------------------------------------------------------------- sweeping and evicting

  /** Reclaims expired leases on a device, refreshes what the broker knows, serves waiters. */
  private Future<DeviceState> sweep(Line line) {
    Future<Void> declared =
        line.initialized
            ? Future.succeededFuture()
            : store
                .init(line.spec.id(), line.spec.capacityBytes(), line.spec.reserveBytes())
                .onSuccess(v -> line.initialized = true);
    return declared
        .compose(v -> store.snapshot(line.spec.id()))
        .onSuccess(
            s -> {
              storeDown = false;
              line.used = s.usedBytes();
              s.leases().forEach(l -> line.maxTtlMs = Math.max(line.maxTtlMs, l.ttlMs()));
              Set<String> live =
                  s.leases().stream().map(StoredLease::leaseId).collect(Collectors.toSet());
              line.reclaiming.retainAll(live);
              if (!s.reclaimed().isEmpty()) {
                metrics.expired(line.spec.id(), s.reclaimed().size());
                LOG.info(
                    "device {}: reclaimed {} expired lease(s) {}",
                    line.spec.id(),
                    s.reclaimed().size(),
                    s.reclaimed());
              }
              if (!line.queue.isEmpty()) {
                dispatch(line);
              }
            })
        .onFailure(
            failure -> {
              if (isNotFound(failure)) {
                lost(line);
              }
              noteStoreFailure(failure);
            });
  }

  private static boolean isNotFound(Throwable failure) {
    return failure instanceof ImajinException e && e.status() == 404;
  }

  /**
   * The store no longer knows a device the broker declared: Redis lost its data (a restart without
   * persistence). Holders of the forgotten leases may still use their memory until their renewals
   * fail, so the device grants nothing for the longest TTL it has seen, then starts again.
   */
  private void lost(Line line) {
    if (!line.initialized) {
      return;
    }
    line.initialized = false;
    long quarantineMs = Math.max(line.maxTtlMs, 1);
    line.quarantinedUntilNanos = System.nanoTime() + quarantineMs * 1_000_000;
    line.used = line.spec.usableBytes();
    LOG.error(
        "device {}: Redis lost the lease state (restarted without persistence?); no grants for {}"
            + " ms, until every forgotten lease has expired",
        line.spec.id(),
        quarantineMs);
    vertx.setTimer(quarantineMs, t -> sweep(line));
  }

  /**
   * Asks idle resident holders to unload, least recently used first, when that would let the first
   * waiter that does not fit be granted.
   */
  private void evict(Line line) {
    if (line.evicting) {
      return;
    }
    Waiting head =
        line.queue.stream()
            .filter(w -> !w.done && w.maxWaitMs > 0 && w.bytes > line.free())
            .findFirst()
            .orElse(null);
    if (head == null) {
      return;
    }
    line.evicting = true;
    store
        .snapshot(line.spec.id())
        .onComplete(
            state -> {
              line.evicting = false;
              if (state.failed() || head.done) {
                return;
              }
              DeviceState s = state.result();
              long coming =
                  s.leases().stream()
                      .filter(l -> line.reclaiming.contains(l.leaseId()))
                      .mapToLong(StoredLease::bytes)
                      .sum();
              long needed = head.bytes - s.freeBytes() - coming;
              if (needed <= 0) {
                return;
              }
              List<StoredLease> idle =
                  s.leases().stream()
                      .filter(l -> l.resident() && !l.busy())
                      .filter(l -> !line.reclaiming.contains(l.leaseId()))
                      .filter(l -> !head.asked.contains(l.leaseId()))
                      .sorted(Comparator.comparingLong(StoredLease::usedAtMs))
                      .toList();
              if (idle.stream().mapToLong(StoredLease::bytes).sum() < needed) {
                return; // unloading every idle model would not be enough: just wait
              }
              long asked = 0;
              for (StoredLease l : idle) {
                if (asked >= needed) {
                  break;
                }
                asked += l.bytes();
                askToUnload(line, head, l, needed);
              }
            });
  }

  private void askToUnload(Line line, Waiting head, StoredLease lease, long needed) {
    line.reclaiming.add(lease.leaseId());
    head.asked.add(lease.leaseId());
    metrics.evictionAsked(line.spec.id());
    ReclaimRequest request =
        new ReclaimRequest(
            lease.leaseId(),
            line.spec.id(),
            lease.holder(),
            lease.model(),
            lease.bytes(),
            lease.fencingToken(),
            needed,
            Instant.now().plusMillis(config.reclaimTimeoutMs()));
    LOG.info(
        "device {}: asking {} to unload {} ({} bytes) for a waiting request of {} bytes",
        line.spec.id(),
        lease.holder(),
        lease.model(),
        lease.bytes(),
        head.bytes);
    vertx
        .eventBus()
        .<ReclaimReply>request(
            Addresses.leaseReclaim(lease.holder()),
            request,
            new DeliveryOptions().setSendTimeout(config.reclaimTimeoutMs()))
        .onComplete(
            reply -> {
              boolean accepted = reply.succeeded() && reply.result().body().accepted();
              if (accepted) {
                metrics.evictionAccepted(line.spec.id());
                return; // its release will dispatch
              }
              LOG.info(
                  "device {}: {} did not unload {}: {}",
                  line.spec.id(),
                  lease.holder(),
                  lease.model(),
                  reply.succeeded() ? reply.result().body().reason() : reply.cause().getMessage());
              line.reclaiming.remove(lease.leaseId());
              evict(line);
            });
  }

  private void noteStoreFailure(Throwable failure) {
    if (failure instanceof ImajinException e && e.status() == 503 && !storeDown) {
      storeDown = true;
      LOG.warn("lease store unreachable: {}", e.getMessage());
    }
  }

  private static ImajinException refused(String leaseId, long token, Outcome.Status status) {
    return ImajinException.conflict(
        status == Outcome.Status.STALE
            ? "fencing token "
                + token
                + " is not lease "
                + leaseId
                + "'s: a newer grant holds it; stop the work it guarded"
            : "lease "
                + leaseId
                + " is not live: it expired, was released or was reclaimed; stop the work it"
                + " guarded");
  }

  private <T> Future<T> onContext(Supplier<Future<T>> action) {
    if (Vertx.currentContext() == context) {
      try {
        return action.get();
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
    }
    Promise<T> promise = Promise.promise();
    context.runOnContext(
        v -> {
          try {
            action.get().onComplete(promise);
          } catch (RuntimeException e) {
            promise.fail(e);
          }
        });
    return promise.future();
  }
}
