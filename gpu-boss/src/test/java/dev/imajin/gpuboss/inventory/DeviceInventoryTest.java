package dev.imajin.gpuboss.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.imajin.runtime.config.ConfigException;
import dev.imajin.runtime.config.ConfigLoader;
import dev.imajin.runtime.config.ImajinConfig;
import dev.imajin.runtime.config.ImajinConfig.DeviceOverride;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceInventoryTest {
  private static final long MIB = 1L << 20;
  private static final long GIB = 1L << 30;
  private static final Host HOST = new Host(24 * GIB, 2);

  @TempDir Path dir;

  private static final ImajinConfig.GpuBoss DEFAULTS = ConfigLoader.defaultConfig().gpuBoss();

  private static ImajinConfig.GpuBoss config() {
    return config("auto", Map.of());
  }

  private static ImajinConfig.GpuBoss config(
      String discovery, Map<String, DeviceOverride> devices) {
    return config(discovery, DEFAULTS.nvidiaSmi(), 0, 0, 0, devices);
  }

  private static ImajinConfig.GpuBoss config(
      String discovery,
      String nvidiaSmi,
      long cpuCapacity,
      long cpuReserve,
      int cpuPoolSize,
      Map<String, DeviceOverride> devices) {
    return new ImajinConfig.GpuBoss(
        discovery,
        nvidiaSmi,
        DEFAULTS.gpuReserveBytes(),
        DEFAULTS.gpuPoolSize(),
        cpuCapacity,
        cpuReserve,
        cpuPoolSize,
        devices,
        DEFAULTS.sweepIntervalMs(),
        DEFAULTS.maxWaiting(),
        DEFAULTS.starvationMs(),
        DEFAULTS.reclaimTimeoutMs());
  }

  private static DeviceOverride override(String name, Long capacity, Long reserve, Integer pool) {
    return new DeviceOverride(name, capacity, reserve, pool);
  }

  private DeviceInventory withNvidiaSmi(ImajinConfig.GpuBoss config, String body) throws Exception {
    GpuProbe smi = new NvidiaSmiProbe(FakeNvidiaSmi.script(dir, body), Duration.ofSeconds(5));
    return DeviceInventory.discover(config, List.of(smi), HOST);
  }

  @Test
  @DisplayName("A machine without GPU starts with the cpu device and says why no GPU was found")
  void noGpu() {
    assumeFalse(NvmlProbeTest.hasNvidiaDriver(), "this machine has an NVIDIA driver");
    DeviceInventory inventory =
        DeviceInventory.discover(
            config("auto", dir.resolve("nvidia-smi").toString(), 0, 0, 0, Map.of()));
    assertThat(inventory.devices()).extracting(DeviceSpec::id).containsExactly("cpu");
    assertThat(inventory.describe())
        .startsWith("no GPU found (NVML: not loadable (")
        .contains("; nvidia-smi: not found); cpu: ");
  }

  @Test
  @DisplayName(
      "Where NVML does not load, the GPUs nvidia-smi lists are used, and NVML's reason is kept")
  void fallsBackToNvidiaSmi() throws Exception {
    assumeFalse(NvmlProbeTest.hasNvidiaDriver(), "this machine has an NVIDIA driver");
    GpuProbe smi =
        new NvidiaSmiProbe(
            FakeNvidiaSmi.script(dir, FakeNvidiaSmi.TWO_GPUS), Duration.ofSeconds(5));
    DeviceInventory inventory =
        DeviceInventory.discover(config(), List.of(new NvmlProbe(), smi), HOST);
    assertThat(inventory.devices())
        .extracting(DeviceSpec::id)
        .containsExactly("cuda:0", "cuda:1", "cpu");
    assertThat(inventory.device("cuda:1").orElseThrow())
        .isEqualTo(
            new DeviceSpec("cuda:1", "cuda", 1, "NVIDIA L4", "nvidia-smi", 23034 * MIB, GIB, 1));
    assertThat(inventory.describe())
        .startsWith("2 GPUs from nvidia-smi (NVML: not loadable (")
        .contains(": cuda:0 NVIDIA H200 (140.4 GiB, 139.4 GiB leasable, 1 thread), cuda:1 ")
        .endsWith("; cpu: 12.0 GiB leasable, 2 threads");
  }

  @Test
  @DisplayName("Configured overrides apply on top of discovered GPUs, and add GPUs not found")
  void overrides() throws Exception {
    DeviceInventory inventory =
        withNvidiaSmi(
            config(
                "auto",
                Map.of(
                    "cuda:0", override(null, null, 0L, 2),
                    "cuda:1", override("Inference L4", 20 * GIB, null, null),
                    "cuda:3", override(null, 8 * GIB, null, null),
                    "cpu", override(null, null, null, 3))),
            FakeNvidiaSmi.TWO_GPUS);
    assertThat(inventory.devices())
        .containsExactly(
            new DeviceSpec("cuda:0", "cuda", 0, "NVIDIA H200", "nvidia-smi", 143771 * MIB, 0, 2),
            new DeviceSpec("cuda:1", "cuda", 1, "Inference L4", "config", 20 * GIB, GIB, 1),
            new DeviceSpec("cuda:3", "cuda", 3, "cuda:3", "config", 8 * GIB, GIB, 1),
            new DeviceSpec("cpu", "cpu", -1, "cpu", "system", 12 * GIB, 0, 3));
    assertThat(inventory.device("cuda:2")).isEmpty();
  }

  @Test
  @DisplayName("The default GPU reserve is capped at a small GPU's capacity")
  void reserveCapped() throws Exception {
    DeviceInventory inventory = withNvidiaSmi(config(), "echo '0, Tiny, 512'\n");
    DeviceSpec gpu = inventory.device("cuda:0").orElseThrow();
    assertThat(gpu.reserveBytes()).isEqualTo(512 * MIB);
    assertThat(gpu.usableBytes()).isZero();
  }

  @Test
  @DisplayName(
      "discovery=config asks neither NVML nor nvidia-smi and uses only the configured GPUs")
  void configOnly() throws Exception {
    Path ran = dir.resolve("ran");
    DeviceInventory inventory =
        withNvidiaSmi(
            config("config", Map.of("cuda:1", override(null, 16 * GIB, null, null))),
            "touch " + ran + "\n" + FakeNvidiaSmi.TWO_GPUS);
    assertThat(Files.exists(ran)).isFalse();
    assertThat(inventory.devices())
        .extracting(DeviceSpec::id, DeviceSpec::source)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("cuda:1", "config"),
            org.assertj.core.groups.Tuple.tuple("cpu", "system"));
    assertThat(inventory.describe()).startsWith("1 GPU from config (discovery=config): cuda:1 ");
  }

  @Test
  @DisplayName("With discovery=config and no GPU configured, only the cpu device exists")
  void configOnlyWithoutGpus() {
    DeviceInventory inventory = DeviceInventory.discover(config("config", Map.of()));
    assertThat(inventory.devices()).extracting(DeviceSpec::id).containsExactly("cpu");
    assertThat(inventory.describe()).startsWith("no GPU found (discovery=config); cpu: ");
  }

  @Test
  @DisplayName("The cpu device defaults to half the physical memory and one thread a core")
  void cpuDefaults() throws Exception {
    DeviceSpec cpu = withNvidiaSmi(config(), "exit 1\n").device("cpu").orElseThrow();
    assertThat(cpu).isEqualTo(new DeviceSpec("cpu", "cpu", -1, "cpu", "system", 12 * GIB, 0, 2));
    Host host = Host.current();
    DeviceSpec real =
        DeviceInventory.discover(config("config", Map.of())).device("cpu").orElseThrow();
    assertThat(real.capacityBytes()).isEqualTo(host.physicalMemoryBytes() / 2).isPositive();
    assertThat(real.poolSize()).isEqualTo(Runtime.getRuntime().availableProcessors());
  }

  @Test
  @DisplayName(
      "A configured cpu capacity, reserve and pool size make the cpu device's source config")
  void cpuConfigured() throws Exception {
    DeviceInventory inventory =
        withNvidiaSmi(
            config(
                "auto",
                DEFAULTS.nvidiaSmi(),
                4 * GIB,
                GIB,
                4,
                Map.of("cpu", override("host", null, null, null))),
            "exit 1\n");
    assertThat(inventory.device("cpu").orElseThrow())
        .isEqualTo(new DeviceSpec("cpu", "cpu", -1, "host", "config", 4 * GIB, GIB, 4));
    assertThat(inventory.describe()).endsWith("; cpu: 3.0 GiB leasable, 4 threads");
  }

  @Test
  @DisplayName("A reserve above a device's capacity fails, naming the device")
  void reserveAboveCapacity() {
    assertThatThrownBy(
            () ->
                withNvidiaSmi(
                    config("auto", Map.of("cuda:0", override(null, null, 200 * GIB, null))),
                    FakeNvidiaSmi.TWO_GPUS))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("gpu-boss: device cuda:0: reserve-bytes 214748364800 exceeds");
    assertThatThrownBy(
            () ->
                DeviceInventory.discover(
                    config("config", DEFAULTS.nvidiaSmi(), GIB, 2 * GIB, 0, Map.of())))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("gpu-boss: device cpu: reserve-bytes");
  }

  @Test
  @DisplayName("A GPU only configuration names must have a capacity")
  void configuredGpuNeedsCapacity() {
    assertThatThrownBy(
            () ->
                DeviceInventory.discover(
                    config("config", Map.of("cuda:2", override(null, null, null, 2)))))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "gpu-boss.devices.cuda:2.capacity-bytes: is required, because discovery did not find"
                + " cuda:2");
  }
}
