package dev.imajin.gpuboss.pool;

/**
 * What a device's worker pool needs to know of the lease that guards a piece of work. A newer lease
 * for the same {@link #resource()} on the same device fences out older ones: the pool refuses work
 * whose {@link #fencingToken()} is older than the newest it has seen for that resource.
 *
 * <p>{@link #valid()} is called on the caller's thread and again on a worker thread right before
 * the work runs, so implementations must be thread-safe and must answer from local state, without
 * blocking.
 */
public interface Fenced {
  String leaseId();

  /** The device the lease is on: {@code cuda:0}, ..., or {@code cpu}. */
  String device();

  /** The lease's fencing token; tokens grow per device. */
  long fencingToken();

  /**
   * The key of what the lease guards, for example its holder and model. Of leases with the same
   * resource on one device, only the one with the newest token may run work.
   */
  String resource();

  /**
   * Whether the lease may still be used, as far as this process knows: not released, its renewal
   * not refused, and before the time at which its holder must stop using it.
   */
  boolean valid();
}
