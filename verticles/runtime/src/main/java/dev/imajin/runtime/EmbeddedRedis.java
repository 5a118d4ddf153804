package dev.imajin.runtime;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
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
 * loopback only, keeps no files, and refuses to evict keys (leases and jobs must never vanish).
 */
public final class EmbeddedRedis implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRedis.class);
  private final RedisServer server;
  private final int port;
  private final String binary;

  private EmbeddedRedis(RedisServer server, int port, String binary) {
    this.server = server;
    this.port = port;
    this.binary = binary;
  }

  /**
   * Starts a server and returns once it accepts connections.
   *
   * @param port the port, or 0 for a free one
   */
  public static EmbeddedRedis start(int port) {
    int chosen = port == 0 ? freePort() : port;
    Optional<Path> onPath = findOnPath();
    try {
      RedisServerBuilder builder =
          RedisServer.newRedisServer()
              .port(chosen)
              .bind("127.0.0.1")
              .setting("save \"\"")
              .setting("appendonly no")
              .setting("maxmemory-policy noeviction")
              .onShutdownForceStop(true);
      onPath.ifPresent(path -> builder.executableProvider(path::toFile));
      RedisServer server = builder.build();
      server.start();
      String binary = onPath.map(Path::toString).orElse("bundled redis-server");
      LOG.info("embedded Redis ({}) listening on 127.0.0.1:{}", binary, chosen);
      return new EmbeddedRedis(server, chosen, binary);
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
    try {
      server.stop();
    } catch (IOException e) {
      LOG.warn("the embedded Redis on port {} did not stop cleanly: {}", port, e.getMessage());
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
