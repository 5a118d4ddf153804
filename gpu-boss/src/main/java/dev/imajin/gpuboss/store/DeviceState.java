package dev.imajin.gpuboss.store;

import java.util.List;

/**
 * One device's state in the store, read atomically after reclaiming expired leases.
 *
 * @param leases the live leases, oldest grant first
 * @param reclaimed ids of the leases this read found expired and reclaimed
 */
public record DeviceState(
    String device,
    long nowMs,
    long capacityBytes,
    long reserveBytes,
    long usedBytes,
    long lastFencingToken,
    List<StoredLease> leases,
    List<String> reclaimed) {

  public DeviceState {
    leases = List.copyOf(leases);
    reclaimed = List.copyOf(reclaimed);
  }

  public long usableBytes() {
    return capacityBytes - reserveBytes;
  }

  public long freeBytes() {
    return Math.max(0, usableBytes() - usedBytes);
  }

  /** The bytes of the live leases, which the scripts keep equal to {@link #usedBytes()}. */
  public long leasedBytes() {
    return leases.stream().mapToLong(StoredLease::bytes).sum();
  }
}
