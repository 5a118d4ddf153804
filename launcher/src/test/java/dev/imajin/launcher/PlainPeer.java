package dev.imajin.launcher;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * A JVM peer with nothing of imajin: plain Vert.x and the Hazelcast cluster manager, configured by
 * {@code -Dvertx.hazelcast.config=/path/to/imajin-cluster.xml}. It sends a plain {@code JsonObject}
 * to an operation's address and prints the JSON reply, or the status and problem of a failure. This
 * is the example of docs/cluster.md; ClusterLaunchTest runs it against launcher members.
 *
 * <p>Arguments: the address and the request JSON.
 */
public final class PlainPeer {
  public static void main(String[] args) throws Exception {
    Vertx vertx =
        Vertx.builder().withClusterManager(new HazelcastClusterManager()).buildClustered().await();
    try {
      JsonObject reply =
          vertx
              .eventBus()
              .<JsonObject>request(
                  args[0], new JsonObject(args[1]), new DeliveryOptions().setSendTimeout(10_000))
              .await()
              .body();
      System.out.println("reply: " + reply.encode());
    } catch (ReplyException e) {
      System.out.println("failed: " + e.failureCode() + " " + e.getMessage());
    } finally {
      vertx.close().await();
    }
  }
}
