package dev.imajin.gpuboss.impl;

import dev.imajin.gpuboss.inventory.DeviceSpec;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;

/** One device as the broker sees it: what it knows of its usage, and its queue. */
final class Line {
  final DeviceSpec spec;
  final java.util.TreeSet<Waiting> queue =
      new java.util.TreeSet<>(
          Comparator.comparingInt((Waiting w) -> -w.priority).thenComparingLong(w -> w.seq));
  final Set<String> reclaiming = new HashSet<>();
  long used;
  long maxTtlMs;
  long quarantinedUntilNanos;
  boolean initialized;
  boolean dispatching;
  boolean again;
  boolean evicting;

  Line(DeviceSpec spec) {
    this.spec = spec;
  }

  long free() {
    return quarantined() ? 0 : Math.max(0, spec.usableBytes() - used);
  }

  boolean quarantined() {
    return quarantinedUntilNanos != 0 && System.nanoTime() < quarantinedUntilNanos;
  }
}
