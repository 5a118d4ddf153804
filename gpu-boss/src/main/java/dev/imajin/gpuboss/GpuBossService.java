package dev.imajin.gpuboss;

import dev.imajin.contracts.gpuboss.Device;
import dev.imajin.contracts.gpuboss.DeviceList;
import dev.imajin.contracts.gpuboss.Lease;
import dev.imajin.contracts.gpuboss.LeaseList;
import dev.imajin.contracts.gpuboss.LeaseRequest;
import dev.imajin.contracts.gpuboss.QueueSnapshot;
import dev.imajin.contracts.gpuboss.ReleaseRequest;
import dev.imajin.contracts.gpuboss.ReleasedLease;
import dev.imajin.contracts.gpuboss.RenewRequest;
import io.vertx.core.Future;

/**
 * The GPU lease broker, the operations of {@code gpu-boss.yaml}. Failures are {@link
 * dev.imajin.contracts.ImajinException}s: 404 for an unknown device, 409 for a request that did not
 * fit before its deadline or a stale lease or token, 422 for a request that can never fit, 503 when
 * the lease store is unreachable or a queue is full.
 */
public interface GpuBossService {

  /** Every device, GPUs by index then {@code cpu}, with usage after reclaiming expired leases. */
  Future<DeviceList> listDevices();

  /** One device, with memory per holder and its resident models. */
  Future<Device> getDevice(String device);

  /** The live leases, filtered by device, holder and residency when those are not null. */
  Future<LeaseList> listLeases(String device, String holder, Boolean resident);

  /** Grants a lease, waiting up to the request's {@code max_wait_ms} for memory to free. */
  Future<Lease> acquireLease(LeaseRequest request, String idempotencyKey);

  /** Extends a live lease; refused when the lease or the token is stale. */
  Future<Lease> renewLease(String leaseId, RenewRequest request);

  /** Frees a live lease's memory; refused when the lease or the token is stale. */
  Future<ReleasedLease> releaseLease(String leaseId, ReleaseRequest request);

  /** The waiting requests per device (or of one device), in the order they will be served. */
  Future<QueueSnapshot> getQueue(String device);
}
