package dev.imajin.gpuboss.inventory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds GPUs by running {@code nvidia-smi --query-gpu=index,name,memory.total
 * --format=csv,noheader,nounits}, which lists one GPU a line with its memory in MiB. A command that
 * is missing, exits non-zero, runs past the timeout (it is killed, with anything it started) or
 * prints a line that is not {@code index, name, MiB} counts as no answer, with the reason.
 */
final class NvidiaSmiProbe implements GpuProbe {
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
  static final List<String> ARGUMENTS =
      List.of("--query-gpu=index,name,memory.total", "--format=csv,noheader,nounits");

  private static final long MIB = 1L << 20;
  private static final int MAX_QUOTE = 120;

  private final String command;
  private final Duration timeout;

  NvidiaSmiProbe(String command, Duration timeout) {
    this.command = command;
    this.timeout = timeout;
  }

  @Override
  public String label() {
    return "nvidia-smi";
  }

  @Override
  public String source() {
    return DeviceSpec.NVIDIA_SMI;
  }

  @Override
  public Result probe() {
    Path output = null;
    try {
      output = Files.createTempFile("imajin-nvidia-smi", ".txt");
      return run(output);
    } catch (IOException e) {
      return Result.unavailable(cannotRun(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Result.unavailable("interrupted");
    } finally {
      deleteQuietly(output);
    }
  }

  private Result run(Path output) throws IOException, InterruptedException {
    List<String> commandLine = new ArrayList<>(List.of(command));
    commandLine.addAll(ARGUMENTS);
    Process process =
        new ProcessBuilder(commandLine)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    process.getOutputStream().close();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      return Result.unavailable("did not answer within " + timeout.toMillis() + " ms");
    }
    String text = Files.readString(output, StandardCharsets.UTF_8);
    if (process.exitValue() != 0) {
      return Result.unavailable(
          "exited with " + process.exitValue() + firstLine(text).map(l -> ": " + l).orElse(""));
    }
    return parse(text);
  }

  private String cannotRun(IOException e) {
    String message = String.valueOf(e.getMessage());
    return message.contains("error=2,") ? "not found" : "cannot run " + command + ": " + message;
  }

  /** The GPUs of {@code nvidia-smi}'s CSV answer, or why it is not one. */
  static Result parse(String text) {
    List<Gpu> gpus = new ArrayList<>();
    for (String line : text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList()) {
      Gpu gpu = line(line);
      if (gpu == null) {
        return Result.unavailable("unexpected output: " + quote(line));
      }
      gpus.add(gpu);
    }
    return Result.found(gpus);
  }

  private static Gpu line(String line) {
    int first = line.indexOf(',');
    int last = line.lastIndexOf(',');
    if (first < 0 || last == first) {
      return null;
    }
    try {
      int index = Integer.parseInt(line.substring(0, first).strip());
      String name = line.substring(first + 1, last).strip();
      long mib = Long.parseLong(line.substring(last + 1).strip());
      boolean sane = index >= 0 && mib > 0 && mib < Long.MAX_VALUE / MIB && !name.isEmpty();
      return sane ? new Gpu(index, name, mib * MIB) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Optional<String> firstLine(String text) {
    return text.lines()
        .map(String::strip)
        .filter(l -> !l.isEmpty())
        .findFirst()
        .map(NvidiaSmiProbe::quote);
  }

  private static String quote(String line) {
    return "'" + (line.length() > MAX_QUOTE ? line.substring(0, MAX_QUOTE) + "..." : line) + "'";
  }

  private static void deleteQuietly(Path file) {
    if (file != null && !file.toFile().delete()) {
      file.toFile().deleteOnExit();
    }
  }
}
