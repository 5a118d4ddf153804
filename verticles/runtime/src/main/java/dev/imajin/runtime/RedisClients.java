package dev.imajin.runtime;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Response;
import java.util.HashMap;
import java.util.Map;

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

  /**
   * A reply holding field-value pairs (HGETALL, a stream entry's fields) as a map, whether Redis
   * answered a flat array (RESP2) or a map (RESP3). Null, or a flat array of odd length, is an
   * empty map.
   */
  public static Map<String, String> fields(Response r) {
    Map<String, String> m = new HashMap<>();
    if (r == null) {
      return m;
    }
    if (r.isMap()) {
      for (String k : r.getKeys()) {
        Response v = r.get(k);
        m.put(k, v == null ? null : v.toString());
      }
      return m;
    }
    if (r.size() % 2 != 0) {
      return m;
    }
    for (int i = 0; i < r.size(); i += 2) {
      Response v = r.get(i + 1);
      m.put(r.get(i).toString(), v == null ? null : v.toString());
    }
    return m;
  }
}
