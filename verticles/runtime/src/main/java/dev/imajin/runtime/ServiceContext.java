package dev.imajin.runtime;

import dev.imajin.runtime.config.ImajinConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.redis.client.Redis;

/**
 * What every service of a node shares: the parsed configuration, the metrics registry and the Redis
 * client. Built once by the launcher (or a test) and handed to each verticle's constructor.
 *
 * @param redis the client of the node's Redis (embedded in single-node mode)
 */
public record ServiceContext(ImajinConfig config, PrometheusMeterRegistry metrics, Redis redis) {}
