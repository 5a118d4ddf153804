package dev.imajin.moderator.banks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imajin.contracts.moderator.ModerationCategory;
import dev.imajin.moderator.pdq.Hash256;
import dev.imajin.runtime.RedisClients;
import dev.imajin.runtime.testing.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A node's index follows the change stream, and reloads when the stream lost its place. */
class BankSyncTest {
  private Vertx vertx;
  private Redis redis;
  private BankStore store;
  private WorkerExecutor worker;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    redis = RedisClients.create(vertx, TestNodes.redis().url());
    store = new BankStore(redis, 1000);
    worker = vertx.createSharedWorkerExecutor("bank-sync-test", 2);
  }

  @AfterEach
  void tearDown() {
    vertx.close().await();
  }

  static Hash256 random(Random rnd) {
    return Hash256.of(rnd.nextLong(), rnd.nextLong(), rnd.nextLong(), rnd.nextLong());
  }

  @Test
  @DisplayName("changes written after start reach the index; a lost stream position reloads it")
  void followsAndReloads() throws Exception {
    String bank = "s-" + UUID.randomUUID().toString().substring(0, 8);
    Random rnd = new Random(12);
    Hash256 first = random(rnd);
    store.create(bank, null, ModerationCategory.HATE, Instant.now()).await();
    store.add(bank, List.of(first.toHex()), List.of(""), Instant.now()).await();

    BankSync sync = new BankSync(vertx, store, worker);
    sync.start().await();
    assertThat(sync.bank(bank).contains(first)).isTrue();

    Hash256 second = random(rnd);
    BankStore.Change added =
        store.add(bank, List.of(second.toHex()), List.of(""), Instant.now()).await();
    sync.await(added.streamId(), 5_000).await();
    assertThat(sync.bank(bank).contains(second)).isTrue();

    // the stream loses the entry this node is at (as when it is trimmed past it, or Redis comes
    // back empty) while a hash is written behind its back: the next change makes the node reload
    redis.send(Request.cmd(Command.XTRIM).arg(BankStore.CHANGES).arg("MAXLEN").arg(0)).await();
    Hash256 unseen = random(rnd);
    redis
        .send(Request.cmd(Command.HSET).arg(BankStore.hashesKey(bank)).arg(unseen.toHex()).arg(""))
        .await();
    Hash256 third = random(rnd);
    BankStore.Change later =
        store.add(bank, List.of(third.toHex()), List.of(""), Instant.now()).await();
    boolean reloaded = false;
    for (int i = 0; i < 100 && !reloaded; i++) {
      BankIndex index = sync.bank(bank);
      reloaded = index != null && index.contains(unseen) && index.contains(third);
      if (!reloaded) {
        Thread.sleep(50);
      }
    }
    assertThat(reloaded).as("reloaded after losing its place, then caught up").isTrue();
    assertThat(sync.bank(bank).size()).isEqualTo(4);
    assertThat(later.hashCount()).isEqualTo(4);

    BankStore.Change removed = store.remove(bank, List.of(first.toHex()), Instant.now()).await();
    sync.await(removed.streamId(), 5_000).await();
    assertThat(sync.bank(bank).contains(first)).isFalse();
    sync.close();
  }
}
