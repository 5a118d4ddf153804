package dev.imajin.gpuboss.client;

import dev.imajin.contracts.Addresses;
import dev.imajin.contracts.Json;
import dev.imajin.contracts.ServiceId;
import dev.imajin.contracts.gpuboss.Lease;
import dev.imajin.contracts.gpuboss.LeaseRequest;
import dev.imajin.contracts.gpuboss.ReclaimReply;
import dev.imajin.contracts.gpuboss.ReclaimRequest;
import dev.imajin.runtime.ServiceClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * How a service holds device memory: acquires leases from the GPU Boss over the event bus, keeps
 * them alive while it lives, and answers the broker's requests to unload idle resident models.
 *
 * <pre>{@code
 * LeaseClient leases = new LeaseClient(vertx, "diffusion@" + node, 30_000);
 * leases.onReclaim(request -> unloadIfIdle(request.model()));   // Future<Boolean>
 * leases.acquire(new LeaseRequest("cuda", bytes, leases.holder(), 7, true, "starter/sd", null, 60_000))
 *     .compose(lease -> pools.run(lease, () -> loadModel(lease.device())));
 * }</pre>
 */
public final class LeaseClient {
  private final Vertx vertx;
  private final String holder;
  private final ServiceClient broker;
  private final Map<String, HeldLease> held = new ConcurrentHashMap<>();
  private MessageConsumer<Object> reclaims;

  /**
   * @param holder this process's holder name, by convention {@code <service>@<node>}
   * @param timeoutMs how long a call to the broker may take; acquisitions add their own wait
   */
  public LeaseClient(Vertx vertx, String holder, long timeoutMs) {
    this.vertx = vertx;
    this.holder = holder;
    this.broker = new ServiceClient(vertx, ServiceId.GPU_BOSS, timeoutMs);
  }

  public String holder() {
    return holder;
  }

  /**
   * Acquires a lease (the request's holder is replaced by this client's) and keeps it renewed until
   * it is released or lost.
   */
  public Future<HeldLease> acquire(LeaseRequest request) {
    LeaseRequest mine =
        new LeaseRequest(
            request.device(),
            request.bytes(),
            holder,
            request.priority(),
            request.resident(),
            request.model(),
            request.ttlMs(),
            request.maxWaitMs());
    long sentAt = System.nanoTime();
    long waitMs = mine.maxWaitMs() == null ? 0 : mine.maxWaitMs();
    ServiceClient patient =
        waitMs == 0 ? broker : new ServiceClient(vertx, ServiceId.GPU_BOSS, 30_000 + waitMs);
    return patient
        .call("acquireLease", mine, Lease.class, null)
        .map(
            lease -> {
              HeldLease h = new HeldLease(this, lease, sentAt);
              held.put(lease.leaseId(), h);
              return h;
            });
  }

  /**
   * Decides the broker's requests to unload the model of an idle resident lease: {@code decide}
   * answers true when the model was unloaded (the client then releases the lease) and false when
   * the holder keeps it (it started work on it in the meantime).
   */
  public Future<Void> onReclaim(Function<ReclaimRequest, Future<Boolean>> decide) {
    reclaims =
        vertx
            .eventBus()
            .consumer(
                Addresses.leaseReclaim(holder),
                message -> {
                  ReclaimRequest request =
                      message.body() instanceof ReclaimRequest r
                          ? r
                          : Json.fromJson((JsonObject) message.body(), ReclaimRequest.class);
                  HeldLease lease = held.get(request.leaseId());
                  if (lease == null || lease.busy()) {
                    message.reply(
                        new ReclaimReply(
                            request.leaseId(),
                            false,
                            lease == null ? "this holder does not hold the lease" : "busy"));
                    return;
                  }
                  decide
                      .apply(request)
                      .compose(
                          unloaded ->
                              unloaded ? lease.release().map(true) : Future.succeededFuture(false))
                      .onComplete(
                          done ->
                              message.reply(
                                  new ReclaimReply(
                                      request.leaseId(),
                                      done.succeeded() && done.result(),
                                      done.succeeded()
                                          ? done.result() ? null : "the holder keeps the model"
                                          : "unloading failed: " + done.cause().getMessage())));
                });
    return reclaims.completion();
  }

  /** Releases every lease this client holds and stops answering reclaim requests. */
  public Future<Void> close() {
    Future<Void> unregistered = reclaims == null ? Future.succeededFuture() : reclaims.unregister();
    return Future.join(held.values().stream().map(HeldLease::release).toList())
        .otherwiseEmpty()
        .compose(v -> unregistered);
  }

  ServiceClient broker() {
    return broker;
  }

  Vertx vertx() {
    return vertx;
  }

  void forget(HeldLease lease) {
    held.remove(lease.leaseId());
  }
}
