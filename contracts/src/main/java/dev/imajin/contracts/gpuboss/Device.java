package dev.imajin.contracts.gpuboss;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.imajin.contracts.BusMessage;
import java.util.List;

/**
 * A device whose memory the broker leases, and its state now. {@code holders} and {@code
 * residentModels} are filled by {@code getDevice} and may be null in listings.
 */
public record Device(
    String id,
    Kind kind,
    String name,
    Source source,
    long capacityBytes,
    long reserveBytes,
    long usedBytes,
    long freeBytes,
    int leases,
    int waiting,
    int poolSize,
    Long lastFencingToken,
    List<HolderUsage> holders,
    List<ResidentModel> residentModels)
    implements BusMessage {

  public Device {
    holders = holders == null ? null : List.copyOf(holders);
    residentModels = residentModels == null ? null : List.copyOf(residentModels);
  }

  public enum Kind {
    @JsonProperty("cuda")
    CUDA,
    @JsonProperty("cpu")
    CPU
  }

  /** Where the device's capacity came from. */
  public enum Source {
    @JsonProperty("nvml")
    NVML,
    @JsonProperty("nvidia-smi")
    NVIDIA_SMI,
    @JsonProperty("config")
    CONFIG,
    @JsonProperty("system")
    SYSTEM
  }
}
