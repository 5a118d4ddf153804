package dev.imajin.inference.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * SHA-256 of files, read through a fixed 1 MiB buffer so that a 5 GB UNet never sits in memory.
 * Digests are cached by (real path, size, modification time): a file rewritten in place with the
 * same size within the file system's timestamp resolution would be missed, which is accepted.
 * Thread-safe; blocking.
 */
final class FileHasher {
  private static final int BUFFER_BYTES = 1 << 20;

  private record Key(Path path, long size, FileTime modified) {}

  private final Map<Key, String> cache = new ConcurrentHashMap<>();
  private final AtomicInteger computed = new AtomicInteger();

  /** The lower-case hexadecimal SHA-256 of the file's bytes. */
  String sha256(Path file) throws IOException {
    Path real = file.toRealPath();
    BasicFileAttributes attributes = Files.readAttributes(real, BasicFileAttributes.class);
    Key key = new Key(real, attributes.size(), attributes.lastModifiedTime());
    String cached = cache.get(key);
    if (cached != null) {
      return cached;
    }
    String digest = digest(real);
    computed.incrementAndGet();
    cache.keySet().removeIf(k -> k.path().equals(real));
    cache.put(key, digest);
    return digest;
  }

  // VisibleForTesting
  int computed() {
    return computed.get();
  }

  static String digest(Path file) throws IOException {
    MessageDigest sha256 = newDigest();
    byte[] buffer = new byte[BUFFER_BYTES];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        sha256.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(sha256.digest());
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
