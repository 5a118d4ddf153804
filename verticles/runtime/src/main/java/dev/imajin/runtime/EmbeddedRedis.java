package dev.imajin.runtime;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;
import redis.embedded.core.RedisServerBuilder;

/**
 * A Redis server owned by this process, for single-node mode and tests: the {@code redis-server} on
 * the PATH when there is one, otherwise the binary bundled by {@code embedded-redis}. It listens on
 * loopback only, refuses to evict keys (leases and jobs must never vanish) and, given a data
 * folder, keeps an append-only file there so that what it holds survives a restart.
 */
public final class EmbeddedRedis implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRedis.class);
  private final RedisServer server;
  private final int port;
  private final String binary;
  private final boolean persistent;

  private EmbeddedRedis(RedisServer server, int port, String binary, boolean persistent) {
    this.server = server;
    this.port = port;
    this.binary = binary;
    this.persistent = persistent;
  }

  /**
   * Starts a server and returns once it accepts connections.
   *
   * @param port the port, or 0 for a free one
   */
  public static EmbeddedRedis start(int port) {
    return start(port, null);
  }

  /**
   * Starts a server that keeps an append-only file in {@code dataDir} (created if need be), fsynced
   * every second, and loads it back when started again on the same folder; with a null {@code
   * dataDir} it keeps no files.
   *
   * @param port the port, or 0 for a free one
   */
  public static EmbeddedRedis start(int port, Path dataDir) {
    int chosen = port == 0 ? freePort() : port;
    Optional<Path> onPath = findOnPath();
    try {
      RedisServerBuilder builder =
          RedisServer.newRedisServer()
              .port(chosen)
              .bind("127.0.0.1")
              .setting("save \"\"")
              .setting("maxmemory-policy noeviction")
              .onShutdownForceStop(true);
      if (dataDir == null) {
        builder.setting("appendonly no");
      } else {
        Path dir = Files.createDirectories(dataDir).toAbsolutePath();
        if (dir.toString().contains("\"")) {
          throw new IllegalArgumentException("the Redis data folder may not contain '\"': " + dir);
        }
        builder
            .setting("dir \"" + dir + "\"")
            .setting("appendonly yes")
            .setting("appendfsync everysec");
      }
      onPath.ifPresent(path -> builder.executableProvider(path::toFile));
      RedisServer server = builder.build();
      server.start();
      String binary = onPath.map(Path::toString).orElse("bundled redis-server");
      LOG.info(
          "embedded Redis ({}) listening on 127.0.0.1:{}, {}",
          binary,
          chosen,
          dataDir == null ? "keeping no files" : "append-only file in " + dataDir.toAbsolutePath());
      return new EmbeddedRedis(server, chosen, binary, dataDir != null);
    } catch (IOException e) {
      throw new UncheckedIOException("the embedded Redis cannot start on port " + chosen, e);
    }
  }

  public int port() {
    return port;
  }

  /** The URL to connect to this server. */
  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  /** Which binary runs: a path on the PATH, or the bundled one. */
  public String binary() {
    return binary;
  }

  @Override
  public void close() {
    if (persistent) {
      flushAndShutdown();
    }
    try {
      server.stop();
    } catch (IOException e) {
      LOG.warn("the embedded Redis on port {} did not stop cleanly: {}", port, e.getMessage());
    }
  }

  /**
   * Asks the server to shut down itself, which writes and fsyncs the append-only file (stopping the
   * process alone could lose the last second of writes).
   */
  private void flushAndShutdown() {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5_000);
      socket
          .getOutputStream()
          .write("*1\r\n$8\r\nSHUTDOWN\r\n".getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      // the server closes the connection once it has saved and is exiting
      while (socket.getInputStream().read() >= 0) {
        // an error reply, if any, is read and dropped
      }
    } catch (IOException e) {
      LOG.debug("the embedded Redis on port {} did not take SHUTDOWN: {}", port, e.getMessage());
    }
  }

  static Optional<Path> findOnPath() {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    return Arrays.stream(path.split(File.pathSeparator))
        .map(dir -> Path.of(dir, "redis-server"))
        .filter(Files::isExecutable)
        .findFirst();
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port for the embedded Redis", e);
    }
  }
}
