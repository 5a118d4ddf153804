package dev.imajin.runtime.testing;

import dev.imajin.runtime.EmbeddedRedis;
import dev.imajin.runtime.RedisClients;
import dev.imajin.runtime.ServiceContext;
import dev.imajin.runtime.config.ConfigLoader;
import dev.imajin.runtime.config.ImajinConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Test fixtures for services: a configuration whose services listen on free ports, and one embedded
 * Redis per test JVM, started on first use and stopped when the JVM exits.
 */
public final class TestNodes {
  private static EmbeddedRedis redis;

  private TestNodes() {}

  /** The shared test Redis, started on first use. */
  public static synchronized EmbeddedRedis redis() {
    if (redis == null) {
      redis = EmbeddedRedis.start(0);
      Runtime.getRuntime().addShutdownHook(new Thread(redis::close));
    }
    return redis;
  }

  /** The default configuration with every service on port 0, plus the given overrides. */
  public static ImajinConfig config(String... overrides) {
    List<String> all = new ArrayList<>();
    for (var service : dev.imajin.contracts.ServiceId.values()) {
      all.add("services." + service.id() + ".port=0");
    }
    all.add("redis.url=" + redis().url());
    all.addAll(List.of(overrides));
    return ConfigLoader.load(Optional.empty(), Map.of(), all);
  }

  /** A service context on the test Redis. */
  public static ServiceContext context(Vertx vertx, String... overrides) {
    ImajinConfig config = config(overrides);
    return new ServiceContext(
        config,
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
        RedisClients.create(vertx, config.redis().url()));
  }
}
