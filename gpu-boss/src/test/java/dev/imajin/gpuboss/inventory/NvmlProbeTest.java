package dev.imajin.gpuboss.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class NvmlProbeTest {
  /** Whether this machine has an NVIDIA driver, in which case NVML may well load. */
  static boolean hasNvidiaDriver() {
    return Files.exists(Path.of("/dev/nvidiactl")) || Files.exists(Path.of("/proc/driver/nvidia"));
  }

  @Test
  @DisplayName("Without NVML, probing answers why, without throwing, and never loads again")
  void absent() {
    assumeFalse(hasNvidiaDriver(), "this machine has an NVIDIA driver");
    GpuProbe.Result first = new NvmlProbe().probe();
    assertThat(first.available()).isFalse();
    assertThat(first.problem()).startsWith("not loadable (");
    assertThat(NvmlProbe.knownUnloadable()).isTrue();
    GpuProbe.Result second = new NvmlProbe().probe();
    assertThat(second.problem()).isEqualTo(first.problem());
  }

  @Test
  @DisplayName("A loading failure is told by its innermost cause, without library paths")
  void reason() {
    UnsatisfiedLinkError error =
        new UnsatisfiedLinkError("no jnicudart in java.library.path: /usr/lib:/lib");
    error.initCause(
        new UnsatisfiedLinkError(
            "/root/.javacpp/cache/x.jar/libjnicudart.so: libcuda.so.1: cannot open shared object"
                + " file"));
    assertThat(NvmlProbe.rootCause(error))
        .isEqualTo(
            "UnsatisfiedLinkError: libjnicudart.so: libcuda.so.1: cannot open shared object file");
    assertThat(NvmlProbe.rootCause(new UnsatisfiedLinkError("no jninvml in java.library.path: /a")))
        .isEqualTo("UnsatisfiedLinkError: no jninvml");
  }

  @Test
  @DisplayName("With an NVIDIA driver, NVML lists the GPUs with their memory")
  void present() {
    assumeTrue(hasNvidiaDriver(), "no NVIDIA driver here");
    GpuProbe.Result result = new NvmlProbe().probe();
    assertThat(result.available()).as(String.valueOf(result.problem())).isTrue();
    assertThat(result.gpus()).allSatisfy(gpu -> assertThat(gpu.memoryBytes()).isPositive());
  }
}
