package dev.imajin.gpuboss.inventory;

import java.util.Set;

/**
 * A device whose memory the GPU Boss leases, as discovery and configuration describe it: what it
 * is, how much memory it has, how much of that is never leased, and how many threads its worker
 * pool runs. The strings of {@link #kind} and {@link #source} are the values of the contract's
 * {@code Device} schema.
 *
 * @param id {@code cuda:<index>} for a GPU, {@code cpu} for the host
 * @param kind {@value #CUDA} or {@value #CPU}
 * @param index the GPU's index, or -1 for the {@code cpu} device
 * @param name what the device is called in listings (a GPU's product name, or {@code cpu})
 * @param source where the capacity came from: {@value #NVML}, {@value #NVIDIA_SMI}, {@value
 *     #CONFIG} or {@value #SYSTEM}
 * @param capacityBytes the device's memory
 * @param reserveBytes memory never leased; at most the capacity
 * @param poolSize threads of the device's worker pool, at least 1
 * @throws IllegalArgumentException naming the device when a value is out of range or the parts do
 *     not agree
 */
public record DeviceSpec(
    String id,
    String kind,
    int index,
    String name,
    String source,
    long capacityBytes,
    long reserveBytes,
    int poolSize) {
  public static final String CUDA = "cuda";
  public static final String CPU = "cpu";
  public static final String CPU_ID = "cpu";
  public static final String NVML = "nvml";
  public static final String NVIDIA_SMI = "nvidia-smi";
  public static final String CONFIG = "config";
  public static final String SYSTEM = "system";

  private static final Set<String> SOURCES = Set.of(NVML, NVIDIA_SMI, CONFIG, SYSTEM);

  public DeviceSpec {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("a device needs an id");
    }
    String expected = CPU.equals(kind) ? CPU_ID : CUDA.equals(kind) ? gpuId(index) : null;
    if (expected == null) {
      throw invalid(id, "kind must be " + CUDA + " or " + CPU + ", was " + kind);
    }
    if (!expected.equals(id) || (CPU.equals(kind) ? index != -1 : index < 0)) {
      throw invalid(id, "kind " + kind + " and index " + index + " do not match the id");
    }
    if (name == null || name.isBlank()) {
      throw invalid(id, "name must not be empty");
    }
    if (!SOURCES.contains(source)) {
      throw invalid(id, "source must be one of " + SOURCES + ", was " + source);
    }
    if (capacityBytes < 0 || reserveBytes < 0) {
      throw invalid(id, "capacity and reserve must not be negative");
    }
    if (reserveBytes > capacityBytes) {
      throw invalid(
          id,
          "reserve-bytes "
              + reserveBytes
              + " exceeds capacity-bytes "
              + capacityBytes
              + "; the reserve must fit in the device's memory");
    }
    if (poolSize < 1) {
      throw invalid(id, "pool-size must be at least 1, was " + poolSize);
    }
  }

  /** The id of the GPU of the given index: {@code cuda:<index>}. */
  public static String gpuId(int index) {
    return CUDA + ":" + index;
  }

  /** The memory that may be leased: capacity less reserve. */
  public long usableBytes() {
    return capacityBytes - reserveBytes;
  }

  public boolean isGpu() {
    return CUDA.equals(kind);
  }

  private static IllegalArgumentException invalid(String id, String why) {
    return new IllegalArgumentException("device " + id + ": " + why);
  }
}
