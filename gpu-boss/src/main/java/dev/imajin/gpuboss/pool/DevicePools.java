package dev.imajin.gpuboss.pool;

import dev.imajin.contracts.ImajinException;
import dev.imajin.gpuboss.inventory.DeviceInventory;
import dev.imajin.gpuboss.inventory.DeviceSpec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * One worker pool per device, named {@code gpu-<device>} ({@code gpu-cuda:0}, {@code gpu-cpu}) with
 * the device's pool size, on which the work a lease guards runs: never on an event loop, and only
 * while the lease is valid and not fenced out by a newer lease for the same resource.
 *
 * <p>The executors are Vert.x shared worker executors: pools of the same name in one Vert.x
 * instance share their threads (and the first one's size). A task may run for up to {@link
 * #MAX_EXECUTE_TIME} before Vert.x warns that it blocks a worker thread. Thread-safe.
 */
public final class DevicePools implements AutoCloseable {
  public static final String POOL_PREFIX = "gpu-";
  public static final Duration MAX_EXECUTE_TIME = Duration.ofMinutes(10);

  private final Map<String, DevicePool> pools;
  private volatile boolean closed;

  public DevicePools(Vertx vertx, DeviceInventory inventory) {
    this(vertx, inventory.devices());
  }

  /**
   * @throws IllegalArgumentException when a device is listed twice
   */
  public DevicePools(Vertx vertx, List<DeviceSpec> devices) {
    if (devices.stream().map(DeviceSpec::id).distinct().count() != devices.size()) {
      throw new IllegalArgumentException("a device is listed twice in " + devices);
    }
    Map<String, DevicePool> byId = new HashMap<>();
    for (DeviceSpec device : devices) {
      byId.put(
          device.id(),
          new DevicePool(
              device.id(),
              device.poolSize(),
              vertx.createSharedWorkerExecutor(
                  poolName(device.id()),
                  device.poolSize(),
                  MAX_EXECUTE_TIME.toMillis(),
                  TimeUnit.MILLISECONDS)));
    }
    this.pools = Map.copyOf(byId);
  }

  /** The name of a device's pool, and the prefix of its threads' names. */
  public static String poolName(String device) {
    return POOL_PREFIX + device;
  }

  /**
   * Runs the task on the pool of the lease's device, unordered, if the lease allows it: it must be
   * {@link Fenced#valid() valid}, and its token must not be older than the newest this pool has
   * seen for the same resource (its token becomes the newest). Both are checked again on the worker
   * thread right before the task runs, since it may have waited behind others. The future completes
   * on the caller's context, when there is one.
   *
   * @return the task's result; failed, without running the task, with an {@link ImajinException}
   *     404 when this node has no such device, 409 when the lease is not valid or is fenced out, or
   *     503 once the pools are closed; otherwise failed with whatever the task throws
   */
  public <T> Future<T> run(Fenced lease, Callable<T> task) {
    DevicePool pool = pool(lease.device());
    if (pool == null) {
      return Future.failedFuture(ImajinException.notFound("device", lease.device()));
    }
    if (closed) {
      return Future.failedFuture(
          ImajinException.unavailable("gpu-boss", "the device worker pools are closed", null));
    }
    return pool.run(lease, task);
  }

  /**
   * The number of threads of the device's pool.
   *
   * @throws ImajinException 404 when this node has no such device
   */
  public int poolSize(String device) {
    DevicePool pool = pool(device);
    if (pool == null) {
      throw ImajinException.notFound("device", device);
    }
    return pool.size();
  }

  private DevicePool pool(String device) {
    return device == null ? null : pools.get(device);
  }

  /** Closes the executors, completing when they have. */
  public Future<Void> closeAsync() {
    closed = true;
    return Future.all(pools.values().stream().map(DevicePool::close).toList()).mapEmpty();
  }

  /** Starts closing the executors and returns at once; see {@link #closeAsync()} to wait. */
  @Override
  public void close() {
    closeAsync();
  }
}
