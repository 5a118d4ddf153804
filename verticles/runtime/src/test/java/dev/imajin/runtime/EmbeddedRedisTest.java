package dev.imajin.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

  @Test
  @DisplayName("Given a data folder, what the embedded Redis held is there again after a restart")
  void keepsItsDataAcrossRestarts(@TempDir Path data) {
    Vertx vertx = Vertx.vertx();
    try {
      EmbeddedRedis first = EmbeddedRedis.start(0, data);
      RedisAPI redis = RedisAPI.api(Redis.createClient(vertx, first.url()));
      redis.set(List.of("imajin:durable", "kept")).await();
      redis.xadd(List.of("imajin:stream", "*", "f", "v")).await();
      first.close();
      EmbeddedRedis second = EmbeddedRedis.start(0, data);
      try {
        RedisAPI again = RedisAPI.api(Redis.createClient(vertx, second.url()));
        assertThat(again.get("imajin:durable").await().toString()).isEqualTo("kept");
        assertThat(again.xlen("imajin:stream").await().toLong()).isEqualTo(1);
        assertThat(again.config(List.of("GET", "appendonly")).await().toString()).contains("yes");
      } finally {
        second.close();
      }
    } finally {
      vertx.close().await();
    }
  }
}
