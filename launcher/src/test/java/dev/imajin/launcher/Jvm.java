package dev.imajin.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A child JVM running a main class of the test classpath, its output kept in a log file. */
final class Jvm implements AutoCloseable {
  private final Process process;
  private final Path log;

  private Jvm(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static Jvm start(String name, List<String> jvmArgs, Class<?> main, List<String> args)
      throws IOException {
    Path dir = Path.of("target", "jvms");
    Files.createDirectories(dir);
    Path log = dir.resolve(name + ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.addAll(jvmArgs);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
    command.addAll(args);
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new Jvm(process, log);
  }

  /** The first output line that matches, waiting for it up to the timeout. */
  Optional<String> awaitLine(Predicate<String> wanted, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<String> line = output().lines().filter(wanted).findFirst();
      if (line.isPresent() || !process.isAlive()) {
        return line;
      }
      Thread.sleep(100);
    }
    return Optional.empty();
  }

  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("still running after " + timeout + ":\n" + output());
    }
    return process.exitValue();
  }

  /** Sends SIGTERM, as Ctrl-C or a service manager would, and waits for the exit. */
  int stop(Duration timeout) throws InterruptedException {
    process.destroy();
    return awaitExit(timeout);
  }

  String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
