package dev.imajin.inference.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileHasherTest {
  @TempDir Path dir;

  @Test
  @DisplayName("The digest of 'abc' and of an empty file are the FIPS 180-2 values")
  void knownVectors() throws Exception {
    FileHasher hasher = new FileHasher();

    assertThat(hasher.sha256(Folders.write(dir.resolve("abc"), "abc")))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(hasher.sha256(Folders.write(dir.resolve("empty"), new byte[0])))
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }

  @Test
  @DisplayName("A file over several buffers hashes as sha256sum and a one-shot digest do")
  void streamsLikeSha256sum() throws Exception {
    Path file = Folders.dummy(dir.resolve("unet.onnx_data"), 3 * (1 << 20) + 17);

    String streamed = new FileHasher().sha256(file);

    assertThat(streamed).isEqualTo(Folders.sha256(file));
    assertThat(streamed).isEqualTo(sha256sum(file));
  }

  @Test
  @DisplayName("Digests are cached by path, size and modification time")
  void cache() throws Exception {
    Path file = Folders.write(dir.resolve("model.onnx"), "first");
    FileHasher hasher = new FileHasher();

    String first = hasher.sha256(file);
    assertThat(hasher.sha256(file)).isEqualTo(first);
    assertThat(hasher.computed()).isEqualTo(1);

    Files.writeString(file, "other");
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
    assertThat(hasher.sha256(file)).isEqualTo(Folders.sha256(file)).isNotEqualTo(first);
    assertThat(hasher.computed()).isEqualTo(2);
  }

  private static String sha256sum(Path file) throws Exception {
    Process process;
    try {
      process = new ProcessBuilder("sha256sum", file.toString()).start();
    } catch (java.io.IOException e) {
      assumeTrue(false, "sha256sum is not installed");
      throw e;
    }
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
    return out.substring(0, 64);
  }
}
