package dev.imajin.gpuboss.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NvidiaSmiProbeTest {
  private static final long MIB = 1L << 20;

  @TempDir Path dir;

  private GpuProbe.Result probe(String body, Duration timeout) throws Exception {
    return new NvidiaSmiProbe(FakeNvidiaSmi.script(dir, body), timeout).probe();
  }

  @Test
  @DisplayName("Two GPUs listed by nvidia-smi are read with their names and memory in bytes")
  void twoGpus() throws Exception {
    Path arguments = dir.resolve("arguments");
    GpuProbe.Result result =
        probe(
            "printf '%s\\n' \"$@\" > " + arguments + "\n" + FakeNvidiaSmi.TWO_GPUS,
            NvidiaSmiProbe.DEFAULT_TIMEOUT);
    assertThat(result.available()).isTrue();
    assertThat(result.gpus())
        .containsExactly(
            new GpuProbe.Gpu(0, "NVIDIA H200", 143771 * MIB),
            new GpuProbe.Gpu(1, "NVIDIA L4", 23034 * MIB));
    assertThat(Files.readAllLines(arguments)).isEqualTo(NvidiaSmiProbe.ARGUMENTS);
  }

  @Test
  @DisplayName("Output that is not index, name, MiB is no answer, quoting the line")
  void garbage() throws Exception {
    GpuProbe.Result result =
        probe("echo '0, NVIDIA H200, 143771'\necho 'Segmentation fault'\n", Duration.ofSeconds(5));
    assertThat(result.available()).isFalse();
    assertThat(result.problem()).isEqualTo("unexpected output: 'Segmentation fault'");
    assertThat(NvidiaSmiProbe.parse("0, NVIDIA H200, [N/A]\n").problem())
        .startsWith("unexpected output");
  }

  @Test
  @DisplayName("A non-zero exit is no answer, with the exit code and the first line printed")
  void nonZeroExit() throws Exception {
    GpuProbe.Result result =
        probe(
            "echo 'NVIDIA-SMI has failed because it could not communicate with the driver'\n"
                + "exit 9\n",
            Duration.ofSeconds(5));
    assertThat(result.available()).isFalse();
    assertThat(result.problem())
        .isEqualTo(
            "exited with 9: 'NVIDIA-SMI has failed because it could not communicate with the"
                + " driver'");
  }

  @Test
  @DisplayName("A command that runs past the timeout is killed and is no answer")
  void timeout() throws Exception {
    long start = System.nanoTime();
    GpuProbe.Result result = probe("sleep 30\n" + FakeNvidiaSmi.TWO_GPUS, Duration.ofMillis(300));
    assertThat(result.available()).isFalse();
    assertThat(result.problem()).isEqualTo("did not answer within 300 ms");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  @DisplayName("A missing command is no answer: not found")
  void missingCommand() {
    for (String command : List.of(dir.resolve("nvidia-smi").toString(), "imajin-no-nvidia-smi")) {
      GpuProbe.Result result = new NvidiaSmiProbe(command, Duration.ofSeconds(5)).probe();
      assertThat(result.available()).isFalse();
      assertThat(result.problem()).isEqualTo("not found");
    }
  }

  @Test
  @DisplayName("Empty output lists no GPU; a name with commas is kept whole")
  void parsing() {
    assertThat(NvidiaSmiProbe.parse("\n").problem()).isEqualTo("no GPU listed");
    assertThat(NvidiaSmiProbe.parse(" 2 , Odd, Name , 1024 \n").gpus())
        .containsExactly(new GpuProbe.Gpu(2, "Odd, Name", 1024 * MIB));
  }
}
