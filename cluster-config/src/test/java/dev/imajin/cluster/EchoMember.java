package dev.imajin.cluster;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An imajin cluster member in its own JVM: joins with {@link ImajinCluster#start}, answers on
 * {@value #ADDRESS}, prints {@code READY} and runs until killed or until its stdin closes.
 *
 * <p>Arguments: member port (the member list is that port and the 9 after it), cluster name.
 */
final class EchoMember {

  static final String ADDRESS = "imajin.test.echo";

  private EchoMember() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    ClusterSettings settings =
        new ClusterSettings(
            "127.0.0.1", port, List.of("127.0.0.1:" + port + "-" + (port + 9)), args[1]);
    long start = System.nanoTime();

    Vertx vertx = ImajinCluster.start(settings, new VertxOptions()).await(60, TimeUnit.SECONDS);
    MessageConsumer<JsonObject> consumer =
        vertx
            .eventBus()
            .consumer(
                ADDRESS,
                message ->
                    message.reply(
                        new JsonObject().put("echo", message.body()).put("member", "imajin")));
    consumer.completion().await(30, TimeUnit.SECONDS);
    System.out.printf(
        "READY after %d ms%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));

    while (System.in.read() >= 0) {
      // Runs until the test kills it, or until the test JVM dies and stdin reaches its end.
    }
    vertx.close().await(10, TimeUnit.SECONDS);
    System.exit(0);
  }
}
