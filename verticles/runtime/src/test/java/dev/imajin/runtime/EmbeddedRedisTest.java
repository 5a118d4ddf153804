package dev.imajin.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class EmbeddedRedisTest {
  @Test
  @DisplayName(
      "The embedded Redis serves vertx-redis-client, never evicts, and is gone after close")
  void servesAndStops() {
    Vertx vertx = Vertx.vertx();
    EmbeddedRedis server = EmbeddedRedis.start(0);
    try {
      RedisAPI redis = RedisAPI.api(Redis.createClient(vertx, server.url()));
      assertThat(redis.ping(List.of()).await().toString()).isEqualTo("PONG");
      redis.set(List.of("imajin:test", "42")).await();
      assertThat(redis.get("imajin:test").await().toString()).isEqualTo("42");
      assertThat(redis.config(List.of("GET", "maxmemory-policy")).await().toString())
          .contains("noeviction");
      assertThat(redis.config(List.of("GET", "bind")).await().toString()).contains("127.0.0.1");
      server.close();
      RedisAPI after = RedisAPI.api(Redis.createClient(vertx, server.url()));
      assertThatThrownBy(() -> after.ping(List.of()).await()).isNotNull();
    } finally {
      server.close();
      vertx.close().await();
    }
  }
}
