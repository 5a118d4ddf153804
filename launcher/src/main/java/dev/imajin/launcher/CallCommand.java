package dev.imajin.launcher;

import com.hazelcast.config.Config;
import dev.imajin.cluster.ClusterSettings;
import dev.imajin.cluster.ImajinCluster;
import dev.imajin.runtime.config.ConfigException;
import dev.imajin.runtime.config.ImajinConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code imajin call}: joins the cluster as a lite member (it holds no data), sends one JSON
 * request to an event-bus address, prints the reply and leaves. It uses no imajin codec: it calls
 * exactly as any JVM peer with plain Vert.x would.
 */
@Command(
    name = "call",
    mixinStandardHelpOptions = true,
    description = {
      "Calls an operation over the clustered event bus and prints the JSON reply.",
      "Example: imajin call imajin.processing.info",
      "Exit status: 0 on success, 1 when the service answers with a problem, 2 on bad usage."
    })
final class CallCommand implements Callable<Integer> {
  /** How long to keep trying while the address is not yet known to this new member. */
  static final long DISCOVERY_MS = 10_000;

  @Spec CommandSpec spec;

  @Mixin ConfigOptions config;

  @Parameters(index = "0", paramLabel = "ADDRESS", description = "imajin.<service>.<operationId>")
  String address;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "JSON",
      description = "The request: body fields and parameters as one JSON object. Default: {}")
  String json;

  @Option(
      names = "--timeout-ms",
      paramLabel = "MS",
      description = "How long to wait for the reply. Default: 30000")
  long timeoutMs = 30_000;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    JsonObject request;
    ClusterSettings settings;
    try {
      request = json == null || json.isBlank() ? new JsonObject() : new JsonObject(json);
      ImajinConfig.Cluster cluster = config.load(List.of()).cluster();
      settings =
          new ClusterSettings(cluster.host(), cluster.port(), cluster.members(), cluster.name());
    } catch (ConfigException | IllegalArgumentException | io.vertx.core.json.DecodeException e) {
      err.println("imajin call: " + e.getMessage());
      return 2;
    }
    Vertx vertx;
    try {
      vertx = join(settings).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      boolean alone =
          e.getCause() instanceof com.hazelcast.partition.NoDataMemberInClusterException;
      err.println(
          "imajin call: "
              + (alone
                  ? "no member of cluster '"
                      + settings.clusterName()
                      + "' answers at "
                      + settings.members()
                      + "; start one with: imajin run --cluster"
                  : "cannot join cluster '"
                      + settings.clusterName()
                      + "': "
                      + e.getCause().getMessage()));
      return 1;
    }
    try {
      Object reply =
          request(vertx, request, System.currentTimeMillis() + DISCOVERY_MS)
              .toCompletionStage()
              .toCompletableFuture()
              .get();
      out.println(reply instanceof JsonObject j ? j.encodePrettily() : String.valueOf(reply));
      return 0;
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof ReplyException r) {
        err.println(
            "imajin call: "
                + address
                + " failed ("
                + r.failureType()
                + ", code "
                + r.failureCode()
                + ")");
        err.println(r.getMessage());
        return 1;
      }
      throw e;
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      out.flush();
      err.flush();
    }
  }

  private Future<Object> request(Vertx vertx, JsonObject body, long discoverUntil) {
    return vertx
        .eventBus()
        .request(address, body, new DeliveryOptions().setSendTimeout(timeoutMs))
        .map(message -> message.body())
        .recover(
            e -> {
              boolean unknownYet =
                  e instanceof ReplyException r && r.failureType() == ReplyFailure.NO_HANDLERS;
              if (unknownYet && System.currentTimeMillis() < discoverUntil) {
                return vertx.timer(250).compose(t -> request(vertx, body, discoverUntil));
              }
              return Future.failedFuture(e);
            });
  }

  private static Future<Vertx> join(ClusterSettings settings) {
    Config config = ImajinCluster.hazelcastConfig(settings).setLiteMember(true);
    VertxOptions options = new VertxOptions();
    options.getEventBusOptions().setHost(settings.host());
    return Vertx.builder()
        .with(options)
        .withClusterManager(new HazelcastClusterManager(config))
        .buildClustered();
  }
}
