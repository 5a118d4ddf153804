package dev.imajin.gpuboss.impl;

import dev.imajin.gpuboss.inventory.DeviceSpec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The broker's meters, per device: capacity, reserve, used and waiting (gauges); grants, denials by
 * reason, refused renewals and releases, expirations, evictions asked and accepted (counters); and
 * the time granted requests waited. In Prometheus: {@code imajin_gpu_used_bytes{device="cuda:0"}},
 * {@code imajin_gpu_grants_total}, {@code imajin_gpu_wait_seconds_bucket} and so on.
 */
public final class BrokerMetrics {
  private final MeterRegistry registry;

  public BrokerMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void register(DeviceSpec spec, Supplier<Number> used, Supplier<Number> waiting) {
    String id = spec.id();
    Gauge.builder("imajin.gpu.capacity", spec::capacityBytes)
        .baseUnit("bytes")
        .tag("device", id)
        .register(registry);
    Gauge.builder("imajin.gpu.reserve", spec::reserveBytes)
        .baseUnit("bytes")
        .tag("device", id)
        .register(registry);
    Gauge.builder("imajin.gpu.used", used).baseUnit("bytes").tag("device", id).register(registry);
    Gauge.builder("imajin.gpu.waiting", waiting).tag("device", id).register(registry);
  }

  void granted(String device, long waitedMs) {
    Counter.builder("imajin.gpu.grants").tag("device", device).register(registry).increment();
    Timer.builder("imajin.gpu.wait")
        .tag("device", device)
        .publishPercentileHistogram()
        .maximumExpectedValue(Duration.ofMinutes(5))
        .register(registry)
        .record(Duration.ofMillis(waitedMs));
  }

  void denied(String device, String reason) {
    Counter.builder("imajin.gpu.denials")
        .tag("device", device)
        .tag("reason", reason)
        .register(registry)
        .increment();
  }

  void refused(String device, String operation) {
    Counter.builder("imajin.gpu.refused")
        .tag("device", device)
        .tag("operation", operation)
        .register(registry)
        .increment();
  }

  void expired(String device, int count) {
    Counter.builder("imajin.gpu.expirations")
        .tag("device", device)
        .register(registry)
        .increment(count);
  }

  void evictionAsked(String device) {
    Counter.builder("imajin.gpu.evictions.asked")
        .tag("device", device)
        .register(registry)
        .increment();
  }

  void evictionAccepted(String device) {
    Counter.builder("imajin.gpu.evictions").tag("device", device).register(registry).increment();
  }
}
