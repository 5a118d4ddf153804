package dev.imajin.runtime;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;

/**
 * The node's Redis client. The client's defaults (6 connections, 24 callers waiting for one) refuse
 * calls under the bursts a lease broker or job queue sees; this one pools 16 connections (a pooled
 * call holds its connection until it is answered, so 16 are in flight at once) and lets thousands
 * of calls wait for a connection rather than fail.
 */
public final class RedisClients {
  static final int MAX_POOL_SIZE = 16;
  static final int MAX_POOL_WAITING = 8192;
  static final int MAX_WAITING_HANDLERS = 8192;

  private RedisClients() {}

  public static Redis create(Vertx vertx, String url) {
    return Redis.createClient(
        vertx,
        new RedisOptions()
            .setConnectionString(url)
            .setMaxPoolSize(MAX_POOL_SIZE)
            .setMaxPoolWaiting(MAX_POOL_WAITING)
            .setMaxWaitingHandlers(MAX_WAITING_HANDLERS));
  }
}
