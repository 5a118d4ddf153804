package dev.imajin.gpuboss.impl;

import dev.imajin.contracts.gpuboss.Device;
import dev.imajin.contracts.gpuboss.DeviceQueue;
import dev.imajin.contracts.gpuboss.HolderUsage;
import dev.imajin.contracts.gpuboss.ResidentModel;
import dev.imajin.contracts.gpuboss.Waiter;
import dev.imajin.gpuboss.store.DeviceState;
import dev.imajin.gpuboss.store.StoredLease;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The broker's state as the contract shows it, and the words of its refusals. */
final class Views {
  private Views() {}

  static Device device(Line line, DeviceState s, boolean detailed) {
    List<HolderUsage> holders = null;
    List<ResidentModel> residents = null;
    if (detailed) {
      holders =
          holders(s).entrySet().stream()
              .map(e -> new HolderUsage(e.getKey(), e.getValue()[0], (int) e.getValue()[1]))
              .toList();
      residents =
          s.leases().stream()
              .filter(StoredLease::resident)
              .sorted(Comparator.comparingLong(StoredLease::usedAtMs))
              .map(
                  l ->
                      new ResidentModel(
                          l.model() == null ? "unnamed" : l.model(),
                          l.leaseId(),
                          l.holder(),
                          l.bytes(),
                          l.busy(),
                          Instant.ofEpochMilli(l.usedAtMs())))
              .toList();
    }
    return new Device(
        line.spec.id(),
        line.spec.kind().equals("cuda") ? Device.Kind.CUDA : Device.Kind.CPU,
        line.spec.name(),
        source(line.spec.source()),
        s.capacityBytes(),
        s.reserveBytes(),
        s.usedBytes(),
        s.freeBytes(),
        s.leases().size(),
        line.queue.size(),
        line.spec.poolSize(),
        s.lastFencingToken(),
        holders,
        residents);
  }

  private static Device.Source source(String source) {
    return switch (source) {
      case "nvml" -> Device.Source.NVML;
      case "nvidia-smi" -> Device.Source.NVIDIA_SMI;
      case "config" -> Device.Source.CONFIG;
      default -> Device.Source.SYSTEM;
    };
  }

  static DeviceQueue queue(Line line) {
    List<Waiter> waiters = new ArrayList<>();
    long bytes = 0;
    for (Waiting w : line.queue) {
      bytes += w.bytes;
      waiters.add(
          new Waiter(
              w.ticket,
              w.request.holder(),
              w.bytes,
              w.priority,
              waiters.size() + 1,
              w.enqueuedAt,
              w.enqueuedAt.plusMillis(w.maxWaitMs),
              w.resident,
              w.request.model()));
    }
    return new DeviceQueue(line.spec.id(), waiters.size(), bytes, waiters);
  }

  static String denial(DeviceState s, long bytes, int ahead, long waitedMs) {
    Map<String, long[]> byHolder = holders(s);
    String held =
        byHolder.isEmpty()
            ? "no lease holds it"
            : "held by "
                + byHolder.entrySet().stream()
                    .map(
                        e ->
                            e.getKey()
                                + " ("
                                + e.getValue()[0]
                                + " bytes, "
                                + e.getValue()[1]
                                + (e.getValue()[1] == 1 ? " lease)" : " leases)"))
                    .collect(Collectors.joining(", "));
    return "device "
        + s.device()
        + ": requested "
        + bytes
        + " bytes, free "
        + s.freeBytes()
        + " of "
        + s.usableBytes()
        + " usable; "
        + held
        + (ahead > 0 ? "; " + ahead + " requests were ahead in the queue" : "")
        + (waitedMs > 0 ? "; waited " + waitedMs + " ms" : "; did not wait (max_wait_ms 0)");
  }

  /** Bytes and lease count per holder, largest first. */
  static Map<String, long[]> holders(DeviceState s) {
    Map<String, long[]> sums = new TreeMap<>();
    for (StoredLease l : s.leases()) {
      long[] sum = sums.computeIfAbsent(l.holder(), h -> new long[2]);
      sum[0] += l.bytes();
      sum[1]++;
    }
    Map<String, long[]> ordered = new LinkedHashMap<>();
    sums.entrySet().stream()
        .sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]))
        .forEach(e -> ordered.put(e.getKey(), e.getValue()));
    return ordered;
  }
}
