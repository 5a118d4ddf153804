package dev.imajin.gpuboss.inventory;

import dev.imajin.runtime.config.ConfigException;
import dev.imajin.runtime.config.ImajinConfig;
import dev.imajin.runtime.config.ImajinConfig.DeviceOverride;

/**
 * Turns what discovery found and what configuration says into device specs: a {@code devices}
 * entry's name, capacity, reserve and pool size win over what was found (a capacity from
 * configuration makes the source {@value DeviceSpec#CONFIG}); otherwise a GPU's reserve is {@code
 * gpu-reserve-bytes}, capped at its capacity, and its pool {@code gpu-pool-size}.
 */
final class DeviceSpecs {
  private static final DeviceOverride NONE = new DeviceOverride(null, null, null, null);

  private final ImajinConfig.GpuBoss config;

  DeviceSpecs(ImajinConfig.GpuBoss config) {
    this.config = config;
  }

  /** A GPU discovery found, with its configuration applied. */
  DeviceSpec discovered(GpuProbe.Gpu gpu, String source) {
    String id = DeviceSpec.gpuId(gpu.index());
    DeviceOverride override = override(id);
    String name = gpu.name().isBlank() ? id : gpu.name();
    return override.capacityBytes() == null
        ? gpu(gpu.index(), name, source, gpu.memoryBytes(), override)
        : gpu(gpu.index(), name, DeviceSpec.CONFIG, override.capacityBytes(), override);
  }

  /** A GPU only configuration names; it must say how much memory the GPU has. */
  DeviceSpec configured(int index) {
    String id = DeviceSpec.gpuId(index);
    DeviceOverride override = override(id);
    if (override.capacityBytes() == null) {
      throw new ConfigException(
          "gpu-boss.devices."
              + id
              + ".capacity-bytes: is required, because discovery did not find "
              + id);
    }
    return gpu(index, id, DeviceSpec.CONFIG, override.capacityBytes(), override);
  }

  /** The {@code cpu} device: half the physical memory and one thread a core, unless configured. */
  DeviceSpec cpu(Host host) {
    DeviceOverride override = override(DeviceSpec.CPU_ID);
    boolean configured = config.cpuCapacityBytes() > 0 || override.capacityBytes() != null;
    long capacity =
        or(
            override.capacityBytes(),
            config.cpuCapacityBytes() > 0
                ? config.cpuCapacityBytes()
                : host.physicalMemoryBytes() / 2);
    return spec(
        DeviceSpec.CPU_ID,
        DeviceSpec.CPU,
        -1,
        or(override.name(), DeviceSpec.CPU),
        configured ? DeviceSpec.CONFIG : DeviceSpec.SYSTEM,
        capacity,
        or(override.reserveBytes(), config.cpuReserveBytes()),
        or(
            override.poolSize(),
            config.cpuPoolSize() > 0 ? config.cpuPoolSize() : host.processors()));
  }

  private DeviceSpec gpu(
      int index, String name, String source, long capacity, DeviceOverride override) {
    return spec(
        DeviceSpec.gpuId(index),
        DeviceSpec.CUDA,
        index,
        or(override.name(), name),
        source,
        capacity,
        or(override.reserveBytes(), Math.min(config.gpuReserveBytes(), capacity)),
        or(override.poolSize(), config.gpuPoolSize()));
  }

  private DeviceOverride override(String id) {
    return config.devices().getOrDefault(id, NONE);
  }

  private static DeviceSpec spec(
      String id,
      String kind,
      int index,
      String name,
      String source,
      long capacity,
      long reserve,
      int poolSize) {
    try {
      return new DeviceSpec(id, kind, index, name, source, capacity, reserve, poolSize);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("gpu-boss: " + e.getMessage());
    }
  }

  private static <T> T or(T configured, T otherwise) {
    return configured != null ? configured : otherwise;
  }
}
