package dev.imajin.launcher;

import dev.imajin.cluster.ClusterSettings;
import dev.imajin.cluster.ImajinCluster;
import dev.imajin.contracts.ServiceId;
import dev.imajin.runtime.EmbeddedRedis;
import dev.imajin.runtime.RedisClients;
import dev.imajin.runtime.ServiceContext;
import dev.imajin.runtime.ServiceVerticle;
import dev.imajin.runtime.config.ConfigException;
import dev.imajin.runtime.config.ImajinConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One imajin process: a Vert.x instance (clustered or not), the node's Redis, and the services it
 * runs, each on its own port. {@link #start} either starts everything or nothing: a service that
 * fails stops the others.
 */
public final class Node {
  private static final Logger LOG = LoggerFactory.getLogger(Node.class);

  private final Vertx vertx;
  private final EmbeddedRedis embeddedRedis;
  private final Map<ServiceId, ServiceVerticle> services;

  private Node(Vertx vertx, EmbeddedRedis embeddedRedis, Map<ServiceId, ServiceVerticle> services) {
    this.vertx = vertx;
    this.embeddedRedis = embeddedRedis;
    this.services = services;
  }

  /**
   * Starts a node.
   *
   * @param only the services to run; all enabled ones when empty
   */
  public static Future<Node> start(ImajinConfig config, Set<ServiceId> only) {
    Map<ServiceId, ImajinConfig.Service> selected = config.selected(only);
    if (selected.isEmpty()) {
      return Future.failedFuture(new IllegalArgumentException("no service is selected to run"));
    }
    EmbeddedRedis embedded = null;
    if (config.redis().embedded()) {
      if (config.cluster().enabled()) {
        LOG.warn(
            "cluster mode without redis.url: this member starts its own embedded Redis, so "
                + "leases and jobs are not shared with other members; set redis.url to share them");
      }
      // a cluster member's own Redis holds what no other member sees: it keeps no files
      String data = config.cluster().enabled() ? "" : config.redis().embeddedDataDir();
      embedded =
          EmbeddedRedis.start(
              config.redis().embeddedPort(), data.isEmpty() ? null : java.nio.file.Path.of(data));
    }
    EmbeddedRedis redis = embedded;
    String redisUrl = redis != null ? redis.url() : config.redis().url();
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    return vertx(config, metrics)
        .compose(
            vertx -> {
              ServiceContext context =
                  new ServiceContext(config, metrics, RedisClients.create(vertx, redisUrl));
              Map<ServiceId, ServiceVerticle> verticles = new EnumMap<>(ServiceId.class);
              selected
                  .keySet()
                  .forEach(id -> verticles.put(id, ServiceCatalog.create(id, context)));
              Node node = new Node(vertx, redis, verticles);
              return node.deployAll()
                  .map(node)
                  .recover(e -> node.stop().transform(v -> Future.failedFuture(e)));
            })
        .onFailure(
            e -> {
              if (redis != null) {
                redis.close();
              }
            });
  }

  private static Future<Vertx> vertx(ImajinConfig config, PrometheusMeterRegistry metrics) {
    VertxOptions options =
        new VertxOptions()
            .setMetricsOptions(
                new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true));
    MicrometerMetricsFactory factory = new MicrometerMetricsFactory(metrics);
    ImajinConfig.Cluster cluster = config.cluster();
    if (!cluster.enabled()) {
      return Future.succeededFuture(Vertx.builder().with(options).withMetrics(factory).build());
    }
    ClusterSettings settings;
    try {
      settings =
          new ClusterSettings(cluster.host(), cluster.port(), cluster.members(), cluster.name());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new ConfigException("cluster: " + e.getMessage()));
    }
    Path xml = cluster.configFile().isEmpty() ? null : Path.of(cluster.configFile());
    return ImajinCluster.start(settings, xml, options, factory);
  }

  private Future<Void> deployAll() {
    List<Future<String>> deployed = new ArrayList<>();
    services.values().forEach(verticle -> deployed.add(vertx.deployVerticle(verticle)));
    // join, not all: when one fails, the others finish deploying before the node is stopped
    return Future.join(deployed).mapEmpty();
  }

  /** The node's Vert.x: its event bus reaches every service of the node (and of its cluster). */
  public Vertx vertx() {
    return vertx;
  }

  /** The port each service listens on. */
  public Map<ServiceId, Integer> ports() {
    Map<ServiceId, Integer> ports = new EnumMap<>(ServiceId.class);
    services.forEach((id, verticle) -> ports.put(id, verticle.actualPort()));
    return ports;
  }

  public boolean clustered() {
    return vertx.isClustered();
  }

  /** The embedded Redis's URL, or null when the node uses an external one. */
  public String embeddedRedisUrl() {
    return embeddedRedis == null ? null : embeddedRedis.url();
  }

  /** Undeploys every service, leaves the cluster and stops the embedded Redis. */
  public Future<Void> stop() {
    return vertx
        .close()
        .onComplete(
            done -> {
              if (embeddedRedis != null) {
                embeddedRedis.close();
              }
            });
  }
}
