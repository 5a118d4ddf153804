package dev.imajin.gpuboss.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DeviceSpecTest {
  @Test
  @DisplayName("Usable memory is capacity less reserve")
  void usable() {
    DeviceSpec gpu = new DeviceSpec("cuda:1", "cuda", 1, "NVIDIA L4", "nvml", 1000, 100, 1);
    assertThat(gpu.usableBytes()).isEqualTo(900);
    assertThat(gpu.isGpu()).isTrue();
    assertThat(new DeviceSpec("cpu", "cpu", -1, "cpu", "system", 10, 10, 4).usableBytes()).isZero();
  }

  @Test
  @DisplayName("A reserve above the capacity is refused, naming the device")
  void reserveAboveCapacity() {
    assertThatThrownBy(() -> new DeviceSpec("cuda:0", "cuda", 0, "GPU", "config", 100, 101, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("device cuda:0: reserve-bytes 101 exceeds capacity-bytes 100");
  }

  @Test
  @DisplayName("Id, kind and index must agree; source must be one of the contract's")
  void consistency() {
    assertThatThrownBy(() -> new DeviceSpec("cuda:0", "cuda", 1, "GPU", "nvml", 1, 0, 1))
        .hasMessageContaining("device cuda:0");
    assertThatThrownBy(() -> new DeviceSpec("cpu", "cpu", 0, "cpu", "system", 1, 0, 1))
        .hasMessageContaining("device cpu");
    assertThatThrownBy(() -> new DeviceSpec("tpu:0", "tpu", 0, "TPU", "nvml", 1, 0, 1))
        .hasMessageContaining("kind must be cuda or cpu");
    assertThatThrownBy(() -> new DeviceSpec("cuda:0", "cuda", 0, "GPU", "guess", 1, 0, 1))
        .hasMessageContaining("source must be one of");
    assertThatThrownBy(() -> new DeviceSpec("cuda:0", "cuda", 0, "GPU", "nvml", 1, 0, 0))
        .hasMessageContaining("pool-size");
    assertThatThrownBy(() -> new DeviceSpec("cuda:0", "cuda", 0, " ", "nvml", 1, 0, 1))
        .hasMessageContaining("name");
  }
}
