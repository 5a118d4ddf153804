package dev.imajin.gpuboss.inventory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Executable shell scripts that stand in for {@code nvidia-smi}. */
final class FakeNvidiaSmi {
  static final String TWO_GPUS = "echo '0, NVIDIA H200, 143771'\necho '1, NVIDIA L4, 23034'\n";

  private FakeNvidiaSmi() {}

  /** A script with the given body, in {@code dir}; returns its path as a command. */
  static String script(Path dir, String body) throws IOException {
    Path script = Files.createTempFile(dir, "nvidia-smi", ".sh");
    Files.writeString(script, "#!/bin/sh\n" + body);
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return script.toString();
  }
}
