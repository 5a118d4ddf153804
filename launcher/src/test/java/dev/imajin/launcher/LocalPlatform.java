package dev.imajin.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imajin.contracts.ServiceId;
import dev.imajin.runtime.testing.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Set;

/**
 * A whole single-node platform for the tests, as {@code imajin run} starts it (on the test Redis),
 * with an HTTP client: start it, wait for services to be ready, call them.
 */
final class LocalPlatform implements AutoCloseable {
  final Node node;
  private final Vertx client;
  final WebClient http;

  private LocalPlatform(Node node) {
    this.node = node;
    this.client = Vertx.vertx();
    this.http = WebClient.create(client);
  }

  /** Starts the services of {@code only} (all when empty) with these configuration overrides. */
  static LocalPlatform start(Set<ServiceId> only, String... overrides) throws Exception {
    Node node =
        Node.start(TestNodes.config(overrides), only)
            .toCompletionStage()
            .toCompletableFuture()
            .get();
    return new LocalPlatform(node);
  }

  /** Waits (at most {@code seconds}) until the service answers {@code /health/ready} with 200. */
  void awaitReady(ServiceId service, int seconds) throws InterruptedException {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    HttpResponse<Buffer> last;
    while ((last = get(service, "/health/ready")).statusCode() != 200) {
      if (System.nanoTime() > end) {
        throw new AssertionError(
            service + " is not ready after " + seconds + " s: " + last.bodyAsString());
      }
      Thread.sleep(50);
    }
  }

  /** The node's Vert.x, for event-bus calls. */
  Vertx vertx() {
    return node.vertx();
  }

  HttpResponse<Buffer> post(ServiceId service, String path, JsonObject body) {
    return http.post(node.ports().get(service), "localhost", path).sendJsonObject(body).await();
  }

  HttpResponse<Buffer> get(ServiceId service, String path) {
    return http.get(node.ports().get(service), "localhost", path).send().await();
  }

  /** The body of a 200 answer; anything else fails with the body as the message. */
  static JsonObject ok(HttpResponse<Buffer> response) {
    return status(response, 200);
  }

  static JsonObject status(HttpResponse<Buffer> response, int status) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    return response.bodyAsJsonObject();
  }

  /** {@code {"b64": ..., "media_type": "image/png"}}. */
  static JsonObject inline(byte[] png) {
    return new JsonObject()
        .put("b64", Base64.getEncoder().encodeToString(png))
        .put("media_type", "image/png");
  }

  /** The repository's {@code models} folder, found from the module's working directory. */
  static Path models() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("models/starter"))) {
        return dir.resolve("models");
      }
    }
    throw new IllegalStateException("no models/starter above " + Path.of("").toAbsolutePath());
  }

  @Override
  public void close() {
    node.stop().await();
    client.close().await();
  }
}
