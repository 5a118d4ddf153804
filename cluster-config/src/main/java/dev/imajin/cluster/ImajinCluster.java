package dev.imajin.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.InvalidConfigurationException;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Joins imajin's Hazelcast cluster: the shipped {@value #CONFIG_RESOURCE} plus a node's {@link
 * ClusterSettings}.
 *
 * <p>All methods are thread-safe and keep no state. A JVM that does not use this class joins the
 * same cluster with {@code -Dvertx.hazelcast.config=classpath:imajin-cluster.xml} and a plain
 * {@code new HazelcastClusterManager()}, as long as its port and member list match.
 */
public final class ImajinCluster {

  /** Classpath location of the shipped Hazelcast member configuration. */
  public static final String CONFIG_RESOURCE = "imajin-cluster.xml";

  private ImajinCluster() {}

  /**
   * A fresh Hazelcast member configuration: {@value #CONFIG_RESOURCE} from the classpath with
   * {@code settings} applied as in {@link #hazelcastConfig(ClusterSettings, Path)}.
   *
   * @throws IllegalStateException if the resource is missing from the classpath
   * @throws InvalidConfigurationException if the resource is not valid Hazelcast XML
   */
  public static Config hazelcastConfig(ClusterSettings settings) {
    Objects.requireNonNull(settings, "settings");
    return apply(settings, ClusterXml.fromClasspath(CONFIG_RESOURCE));
  }

  /**
   * A fresh Hazelcast member configuration read from {@code xml}, then overridden by {@code
   * settings}: cluster name, member port (auto-increment as the XML says), the one network
   * interface, and TCP-IP join with exactly the settings' members. Multicast and auto-detection are
   * switched off, since Hazelcast allows only one join method. Everything else (maps, {@code
   * hazelcast.*} properties) stays as the XML has it; {@code ${name}} placeholders in the XML are
   * resolved from system properties.
   *
   * @throws UncheckedIOException if the file cannot be read
   * @throws InvalidConfigurationException if the file is not valid Hazelcast XML
   */
  public static Config hazelcastConfig(ClusterSettings settings, Path xml) {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(xml, "xml");
    return apply(settings, ClusterXml.fromFile(xml));
  }

  /**
   * A cluster manager for one Vert.x instance, configured by {@link
   * #hazelcastConfig(ClusterSettings)}; it starts no member until Vert.x joins with it.
   *
   * @throws IllegalStateException or {@link InvalidConfigurationException} as {@link
   *     #hazelcastConfig(ClusterSettings)} does
   */
  public static HazelcastClusterManager clusterManager(ClusterSettings settings) {
    return new HazelcastClusterManager(hazelcastConfig(settings));
  }

  /**
   * Starts a clustered Vert.x that joins the cluster described by {@code settings}. The event bus
   * binds to {@link ClusterSettings#host()} and is advertised there unless {@code options} names a
   * cluster public host; {@code options} itself is not modified.
   *
   * <p>Never throws for a bad configuration or a failed join: the returned future fails instead
   * (missing or invalid XML, port range taken, no interface with the settings' host). It completes
   * on a Vert.x or Hazelcast thread once the member has joined (the first member of a cluster forms
   * it alone, after its search for others times out).
   *
   * @throws NullPointerException if an argument is null
   */
  public static Future<Vertx> start(ClusterSettings settings, VertxOptions options) {
    return start(settings, null, options, null);
  }

  /**
   * Like {@link #start(ClusterSettings, VertxOptions)}, with the Hazelcast XML read from {@code
   * xml} (the bundled {@value #CONFIG_RESOURCE} when null) and Vert.x metrics from {@code metrics}
   * (none when null).
   */
  public static Future<Vertx> start(
      ClusterSettings settings, Path xml, VertxOptions options, VertxMetricsFactory metrics) {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(options, "options");
    HazelcastClusterManager manager;
    try {
      manager =
          xml == null
              ? clusterManager(settings)
              : new HazelcastClusterManager(hazelcastConfig(settings, xml));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    VertxOptions clustered = new VertxOptions(options);
    clustered.getEventBusOptions().setHost(settings.host());
    VertxBuilder builder = Vertx.builder().with(clustered).withClusterManager(manager);
    if (metrics != null) {
      builder.withMetrics(metrics);
    }
    return builder.buildClustered();
  }

  private static Config apply(ClusterSettings settings, Config config) {
    config.setClusterName(settings.clusterName());
    NetworkConfig network = config.getNetworkConfig().setPort(settings.port());
    network.getInterfaces().setEnabled(true).setInterfaces(List.of(settings.host()));
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig()
        .setEnabled(true)
        .setMembers(
            settings.memberSpecs().stream()
                .flatMap(m -> m.hazelcastMembers().stream())
                .distinct()
                .toList());
    return config;
  }
}
