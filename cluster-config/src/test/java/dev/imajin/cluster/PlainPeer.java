package dev.imajin.cluster;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.concurrent.TimeUnit;

/**
 * A third-party Vert.x JVM that knows nothing of imajin's classes: a plain {@code new
 * HazelcastClusterManager()} configured only by {@code -Dvertx.hazelcast.config}. Sends {@code
 * {"ping": <argument>}} to {@code imajin.test.echo}, retrying while the consumer's registration
 * propagates, prints {@code REPLY <json>} and exits 0; exits 1 if no reply comes within 20 s.
 */
final class PlainPeer {

  private static final String ADDRESS = "imajin.test.echo";
  private static final long TRY_TIMEOUT_MS = 2_000;
  private static final long RETRY_FOR_MS = 20_000;

  private PlainPeer() {}

  public static void main(String[] args) throws Exception {
    long start = System.nanoTime();
    HazelcastClusterManager clusterManager = new HazelcastClusterManager();
    Vertx vertx =
        Vertx.builder()
            .withClusterManager(clusterManager)
            .buildClustered()
            .await(60, TimeUnit.SECONDS);
    System.out.printf(
        "JOINED after %d ms, nodes=%d%n", millisSince(start), clusterManager.getNodes().size());

    JsonObject reply = request(vertx, new JsonObject().put("ping", args[0]));
    if (reply != null) {
      System.out.printf("REPLY %s%n", reply.encode());
    }
    vertx.close().await(10, TimeUnit.SECONDS);
    System.exit(reply != null ? 0 : 1);
  }

  private static JsonObject request(Vertx vertx, JsonObject body) throws InterruptedException {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(TRY_TIMEOUT_MS);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETRY_FOR_MS);
    for (int attempt = 1; System.nanoTime() < deadline; attempt++) {
      long sent = System.nanoTime();
      try {
        JsonObject reply =
            vertx.eventBus().<JsonObject>request(ADDRESS, body, options).await().body();
        System.out.printf("attempt %d answered in %d ms%n", attempt, millisSince(sent));
        return reply;
      } catch (ReplyException e) {
        System.out.printf("attempt %d failed: %s %s%n", attempt, e.failureType(), e.getMessage());
        if (e.failureType() == ReplyFailure.NO_HANDLERS) {
          Thread.sleep(250);
        }
      }
    }
    System.out.println("NO REPLY within " + RETRY_FOR_MS + " ms");
    return null;
  }

  private static long millisSince(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
  }
}
