package dev.imajin.launcher;

import dev.imajin.contracts.ServiceId;
import dev.imajin.runtime.config.ConfigException;
import dev.imajin.runtime.config.ImajinConfig;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code imajin run}: starts services in this process until Ctrl-C. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Starts imajin's services in this JVM, each on its own port, until interrupted.",
      "Single-node by default (local event bus, embedded Redis); --cluster joins a Hazelcast cluster."
    })
final class RunCommand implements Callable<Integer> {
  static final long STOP_TIMEOUT_SECONDS = 15;

  @Spec CommandSpec spec;

  @Mixin ConfigOptions options;

  @Option(
      names = "--services",
      split = ",",
      paramLabel = "NAME",
      description =
          "Services to run (comma-separated), e.g. pipeline,diffusion. Default: every enabled service.")
  List<String> services = new ArrayList<>();

  @Option(
      names = "--cluster",
      description = "Join a Hazelcast cluster (cluster.* keys; TCP-IP on loopback by default).")
  boolean cluster;

  @Option(
      names = "--cluster-port",
      paramLabel = "PORT",
      description = "Hazelcast port of this member (cluster.port).")
  Integer clusterPort;

  @Option(
      names = "--redis-url",
      paramLabel = "URL",
      description = "External Redis, redis://host:port (redis.url).")
  String redisUrl;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ImajinConfig config;
    Set<ServiceId> only;
    try {
      config = options.load(shortcuts());
      only = selected();
    } catch (ConfigException | IllegalArgumentException e) {
      err.println("imajin: " + e.getMessage());
      return 2;
    }
    Node node;
    try {
      node = Node.start(config, only).toCompletionStage().toCompletableFuture().get();
    } catch (java.util.concurrent.ExecutionException e) {
      err.println("imajin: cannot start: " + e.getCause().getMessage());
      return 1;
    }
    report(out, config, node);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  out.println("imajin: stopping...");
                  out.flush();
                  try {
                    node.stop()
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    out.println("imajin: stopped");
                  } catch (Exception e) {
                    err.println("imajin: did not stop cleanly: " + e.getMessage());
                  }
                  out.flush();
                  stopped.countDown();
                },
                "imajin-shutdown"));
    stopped.await();
    return 0;
  }

  private List<String> shortcuts() {
    List<String> all = new ArrayList<>();
    if (cluster) {
      all.add("cluster.enabled=true");
    }
    if (clusterPort != null) {
      all.add("cluster.port=" + clusterPort);
    }
    if (redisUrl != null) {
      all.add("redis.url=" + redisUrl);
    }
    return all;
  }

  private Set<ServiceId> selected() {
    Set<ServiceId> ids = EnumSet.noneOf(ServiceId.class);
    services.stream()
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .map(ServiceId::of)
        .forEach(ids::add);
    return ids;
  }

  private static void report(PrintWriter out, ImajinConfig config, Node node) {
    String host = config.http().publicHost();
    out.printf(
        "imajin %s running (%s)%n",
        dev.imajin.runtime.BuildInfo.current().version(),
        node.clustered() ? "cluster member of '" + config.cluster().name() + "'" : "single node");
    node.ports()
        .forEach(
            (id, port) ->
                out.printf(
                    "  %-19s http://%s:%d  (contract: /openapi.yaml)%n", id.id(), host, port));
    out.printf(
        "  %-19s %s%n",
        "redis",
        node.embeddedRedisUrl() != null
            ? node.embeddedRedisUrl() + " (embedded)"
            : config.redis().url());
    out.println("Press Ctrl-C to stop.");
    out.flush();
  }
}
