package dev.imajin.gpuboss;

import dev.imajin.contracts.ImajinException;
import dev.imajin.contracts.ServiceId;
import dev.imajin.contracts.gpuboss.LeaseRequest;
import dev.imajin.contracts.gpuboss.ReleaseRequest;
import dev.imajin.contracts.gpuboss.RenewRequest;
import dev.imajin.gpuboss.impl.Broker;
import dev.imajin.gpuboss.impl.BrokerMetrics;
import dev.imajin.gpuboss.inventory.DeviceInventory;
import dev.imajin.gpuboss.store.LeaseStore;
import dev.imajin.runtime.OperationInput;
import dev.imajin.runtime.Operations;
import dev.imajin.runtime.ServiceContext;
import dev.imajin.runtime.ServiceVerticle;
import io.vertx.core.Future;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The GPU lease broker on its contract ({@code contracts/.../openapi/gpu-boss.yaml}): discovers the
 * node's devices, declares them in the lease store and serves leases over HTTP and the event bus.
 */
public final class GpuBossVerticle extends ServiceVerticle {

  /** How long one call to Redis may take before the broker treats it as failed. */
  static final long STORE_TIMEOUT_MS = 2_000;

  private DeviceInventory inventory;
  private Broker broker;

  public GpuBossVerticle(ServiceContext context) {
    super(ServiceId.GPU_BOSS, context);
  }

  /** The devices this broker found at start; null before it starts. */
  public DeviceInventory inventory() {
    return inventory;
  }

  /** The broker itself, for callers in the same JVM; null before start. */
  public GpuBossService service() {
    return broker;
  }

  @Override
  protected void bind(Operations operations) {
    inventory = DeviceInventory.discover(context.config().gpuBoss());
    LeaseStore store =
        new LeaseStore(context.redis(), context.config().node().name(), STORE_TIMEOUT_MS);
    broker =
        new Broker(
            vertx,
            vertx.getOrCreateContext(),
            store,
            inventory.devices(),
            context.config().gpuBoss(),
            new BrokerMetrics(context.metrics()));
    operations
        .bind("listDevices", in -> broker.listDevices())
        .bind("getDevice", in -> broker.getDevice(in.param("device")))
        .bind(
            "listLeases",
            in -> broker.listLeases(in.param("device"), in.param("holder"), flag(in, "resident")))
        .bind(
            "acquireLease",
            LeaseRequest.class,
            (request, in) -> broker.acquireLease(request, in.param("idempotency_key")))
        .bind(
            "renewLease",
            RenewRequest.class,
            (request, in) -> broker.renewLease(in.param("lease_id"), request))
        .bind(
            "releaseLease",
            ReleaseRequest.class,
            (request, in) -> broker.releaseLease(in.param("lease_id"), request))
        .bind("getQueue", in -> broker.getQueue(in.param("device")));
  }

  @Override
  public Future<?> start() {
    return super.start().compose(v -> broker.start());
  }

  @Override
  public Future<?> stop() {
    if (broker != null) {
      broker.stop();
    }
    return super.stop();
  }

  @Override
  protected Map<String, Supplier<Future<?>>> readinessChecks() {
    return Map.of(
        "lease-store",
        () ->
            broker.storeDown()
                ? Future.failedFuture(
                    ImajinException.unavailable(
                        "gpu-boss", "the lease store (Redis) is unreachable", 1))
                : Future.succeededFuture());
  }

  private static Boolean flag(OperationInput in, String name) {
    String value = in.param(name);
    return value == null ? null : Boolean.valueOf(value);
  }
}
