package dev.imajin.gpuboss.inventory;

import dev.imajin.runtime.config.ImajinConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The devices of this node, found once at start. With {@code discovery: auto} the GPUs are asked of
 * NVML, then of {@code nvidia-smi}; the first that lists any wins, and GPUs that only {@code
 * gpu-boss.devices} names are added. With {@code discovery: config} only the configured GPUs exist.
 * Configuration overrides apply on top of what was found (see {@link DeviceSpecs}). The {@code cpu}
 * device always exists, so a machine without a GPU starts cleanly. Immutable and thread-safe.
 */
public final class DeviceInventory {
  static final String AUTO = "auto";

  private static final Logger LOG = LoggerFactory.getLogger("imajin.gpu-boss");
  private static final double GIB = 1L << 30;

  private final List<DeviceSpec> devices;
  private final String description;

  private DeviceInventory(List<DeviceSpec> devices, String description) {
    this.devices = List.copyOf(devices);
    this.description = description;
  }

  /**
   * Finds this node's devices and logs what was found. Never fails for want of a GPU.
   *
   * @throws dev.imajin.runtime.config.ConfigException naming the device when configuration does not
   *     add up: a reserve above the capacity, or a GPU only configuration names without a capacity
   */
  public static DeviceInventory discover(ImajinConfig.GpuBoss config) {
    return discover(
        config,
        List.of(
            new NvmlProbe(),
            new NvidiaSmiProbe(config.nvidiaSmi(), NvidiaSmiProbe.DEFAULT_TIMEOUT)),
        Host.current());
  }

  /** {@link #discover(ImajinConfig.GpuBoss)} with the given probes, asked in order, and host. */
  static DeviceInventory discover(ImajinConfig.GpuBoss config, List<GpuProbe> probes, Host host) {
    DeviceSpecs specs = new DeviceSpecs(config);
    Map<Integer, DeviceSpec> gpus = new TreeMap<>();
    List<String> problems = new ArrayList<>();
    String foundBy =
        AUTO.equals(config.discovery())
            ? ask(probes, specs, gpus, problems)
            : noProbe("discovery=" + config.discovery(), problems);
    for (String id : new TreeMap<>(config.devices()).keySet()) {
      if (!DeviceSpec.CPU_ID.equals(id)) {
        int index = Integer.parseInt(id.substring(DeviceSpec.CUDA.length() + 1));
        gpus.computeIfAbsent(index, specs::configured);
      }
    }
    List<DeviceSpec> all = new ArrayList<>(gpus.values());
    all.add(specs.cpu(host));
    DeviceInventory inventory = new DeviceInventory(all, describe(all, foundBy, problems));
    LOG.info("Devices: {}", inventory.describe());
    return inventory;
  }

  /** Asks the probes in order until one lists GPUs; answers its label, or config when none did. */
  private static String ask(
      List<GpuProbe> probes,
      DeviceSpecs specs,
      Map<Integer, DeviceSpec> gpus,
      List<String> problems) {
    for (GpuProbe probe : probes) {
      GpuProbe.Result result = probe.probe();
      if (result.available()) {
        result.gpus().forEach(gpu -> gpus.put(gpu.index(), specs.discovered(gpu, probe.source())));
        return probe.label();
      }
      problems.add(probe.label() + ": " + result.problem());
    }
    return DeviceSpec.CONFIG;
  }

  private static String noProbe(String why, List<String> problems) {
    problems.add(why);
    return DeviceSpec.CONFIG;
  }

  /** The devices: GPUs by index, then {@code cpu}. */
  public List<DeviceSpec> devices() {
    return devices;
  }

  /** The device of the given id ({@code cuda:0}, {@code cpu}), if this node has it. */
  public Optional<DeviceSpec> device(String id) {
    return devices.stream().filter(d -> d.id().equals(id)).findFirst();
  }

  /**
   * One line saying what was found and from where, and why the probes that found nothing did not,
   * e.g. {@code no GPU found (NVML: libnvidia-ml not loadable (...); nvidia-smi: not found); cpu:
   * 12.0 GiB leasable, 2 threads}.
   */
  public String describe() {
    return description;
  }

  @Override
  public String toString() {
    return description;
  }

  private static String describe(List<DeviceSpec> all, String foundBy, List<String> problems) {
    List<DeviceSpec> gpus = all.stream().filter(DeviceSpec::isGpu).toList();
    DeviceSpec cpu = all.get(all.size() - 1);
    String why = problems.isEmpty() ? "" : " (" + String.join("; ", problems) + ")";
    String found =
        gpus.isEmpty()
            ? "no GPU found" + why
            : count(gpus.size(), "GPU")
                + " from "
                + foundBy
                + why
                + ": "
                + gpus.stream().map(DeviceInventory::gpu).collect(Collectors.joining(", "));
    return found + "; cpu: " + leasable(cpu);
  }

  private static String gpu(DeviceSpec gpu) {
    return gpu.id()
        + " "
        + gpu.name()
        + " ("
        + gib(gpu.capacityBytes())
        + ", "
        + leasable(gpu)
        + ")";
  }

  private static String leasable(DeviceSpec device) {
    return gib(device.usableBytes()) + " leasable, " + count(device.poolSize(), "thread");
  }

  private static String gib(long bytes) {
    return String.format(Locale.ROOT, "%.1f GiB", bytes / GIB);
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
