package dev.imajin.gpuboss.store;

import static dev.imajin.gpuboss.store.Await.await;
import static dev.imajin.gpuboss.store.Await.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imajin.contracts.ImajinException;
import dev.imajin.runtime.testing.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The lease scripts against a real Redis, one behaviour at a time. */
class LeaseStoreTest {
  private static Vertx vertx;
  private static Redis redis;
  private LeaseStore store;
  private static final String GPU = "cuda:0";

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    redis = Redis.createClient(vertx, TestNodes.redis().url());
  }

  @AfterAll
  static void stop() {
    await(vertx.close());
  }

  @BeforeEach
  void freshNamespace() {
    store = new LeaseStore(redis, "test-" + UUID.randomUUID(), 2_000);
    await(store.init(GPU, 1_000, 100));
  }

  @Test
  void grantsWhileUsageStaysWithinCapacityMinusReserve() {
    Grant a = acquire("a", 600, 10_000);
    assertTrue(a.granted());
    assertTrue(
        a.lease().fencingToken() > System.currentTimeMillis() * 900,
        "a device's first token is the server clock in microseconds");
    assertEquals(600, a.usedBytes());
    Grant b = acquire("b", 301, 10_000);
    assertFalse(b.granted(), "600 + 301 > 1000 - 100");
    assertEquals(600, b.usedBytes());
    assertEquals(900, b.usableBytes());
    assertEquals(a.lease().expiresAtMs(), b.earliestExpiryMs());
    Grant c = acquire("c", 300, 10_000);
    assertTrue(c.granted(), "600 + 300 fits exactly");
    assertEquals(
        a.lease().fencingToken() + 1, c.lease().fencingToken(), "a refusal takes no token");
    assertEquals(900, state().usedBytes());
    assertEquals(900, state().leasedBytes());
  }

  @Test
  void releaseNeedsTheLeasesOwnTokenAndGivesTheBytesBack() {
    Grant a = acquire("a", 500, 10_000);
    Outcome stale = await(store.release(GPU, a.lease().leaseId(), 99));
    assertEquals(Outcome.Status.STALE, stale.status());
    assertEquals(500, state().usedBytes(), "a refused release changes nothing");
    Outcome ok = await(store.release(GPU, a.lease().leaseId(), a.lease().fencingToken()));
    assertTrue(ok.ok());
    assertEquals(0, ok.usedBytes());
    Outcome again = await(store.release(GPU, a.lease().leaseId(), a.lease().fencingToken()));
    assertEquals(Outcome.Status.GONE, again.status());
    assertEquals(0, state().usedBytes());
  }

  @Test
  void expiredLeasesAreReclaimedAndTheirLateRenewOrReleaseIsRefused() throws Exception {
    Grant a = acquire("a", 800, 1_000);
    assertFalse(acquire("b", 800, 10_000).granted());
    TimeUnit.MILLISECONDS.sleep(1_100);
    DeviceState swept = state();
    assertEquals(java.util.List.of(a.lease().leaseId()), swept.reclaimed());
    assertEquals(0, swept.usedBytes());
    Grant b = acquire("b", 800, 10_000);
    assertTrue(b.granted());
    assertTrue(b.lease().fencingToken() > a.lease().fencingToken());
    long token = a.lease().fencingToken();
    assertEquals(
        Outcome.Status.GONE,
        await(store.renew(GPU, a.lease().leaseId(), token, null, null)).status());
    assertEquals(
        Outcome.Status.GONE, await(store.release(GPU, a.lease().leaseId(), token)).status());
    assertEquals(800, state().usedBytes(), "the late release freed nothing of b's");
  }

  @Test
  void renewExtendsTheLeaseAndTracksBusyUse() throws Exception {
    Grant a = await(store.acquire(GPU, "lse_resident1", 100, "h@n", 10_000, true, "m/x", 5, null));
    assertTrue(a.lease().resident());
    TimeUnit.MILLISECONDS.sleep(20);
    Outcome busy = await(store.renew(GPU, "lse_resident1", a.lease().fencingToken(), 20_000, true));
    assertTrue(busy.ok());
    assertTrue(busy.lease().busy());
    assertEquals(20_000, busy.lease().ttlMs());
    assertEquals(busy.nowMs() + 20_000, busy.lease().expiresAtMs());
    assertTrue(busy.lease().usedAtMs() > a.lease().usedAtMs());
    Outcome stale =
        await(store.renew(GPU, "lse_resident1", a.lease().fencingToken() + 1, null, false));
    assertEquals(Outcome.Status.STALE, stale.status());
    assertTrue(state().leases().get(0).busy(), "a refused renew changes nothing");
  }

  @Test
  void repeatedLeaseIdsAndIdempotencyKeysReturnTheLiveLease() {
    Grant first = await(store.acquire(GPU, "lse_same0001", 100, "h", 10_000, false, null, 5, "k1"));
    Grant retry = await(store.acquire(GPU, "lse_same0001", 100, "h", 10_000, false, null, 5, "k1"));
    Grant byKey = await(store.acquire(GPU, "lse_other001", 100, "h", 10_000, false, null, 5, "k1"));
    assertTrue(retry.existing());
    assertTrue(byKey.existing());
    assertEquals(first.lease(), retry.lease());
    assertEquals(first.lease(), byKey.lease());
    assertEquals(100, state().usedBytes());
    await(store.release(GPU, "lse_same0001", first.lease().fencingToken()));
    Grant after = await(store.acquire(GPU, "lse_other001", 100, "h", 10_000, false, null, 5, "k1"));
    assertFalse(after.existing(), "a released lease's key is free again");
  }

  @Test
  void scriptsSurviveAFlushOfTheScriptCache() {
    acquire("a", 100, 10_000);
    await(redis.send(Request.cmd(Command.SCRIPT).arg("FLUSH")));
    assertTrue(acquire("b", 100, 10_000).granted());
    assertEquals(200, state().usedBytes());
  }

  @Test
  void unknownDevicesAreNotFound() {
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> get(store.snapshot("cuda:7")));
    assertEquals(404, ((ImajinException) e.getCause()).status());
  }

  @Test
  void anUnreachableRedisFailsWith503AndGrantsNothing() {
    Redis nowhere = Redis.createClient(vertx, "redis://127.0.0.1:1");
    LeaseStore dead = new LeaseStore(nowhere, "x", 500);
    ExecutionException e =
        assertThrows(
            ExecutionException.class,
            () -> get(dead.acquire(GPU, "lse_nowhere1", 1, "h", 1000, false, null, 5, null)));
    ImajinException problem = (ImajinException) e.getCause();
    assertEquals(503, problem.status());
    assertTrue(problem.getMessage().contains("Redis"), problem.getMessage());
  }

  private Grant acquire(String name, long bytes, int ttlMs) {
    return await(
        store.acquire(
            GPU, "lse_" + name + "_0000", bytes, name + "@test", ttlMs, false, null, 5, null));
  }

  private DeviceState state() {
    return await(store.snapshot(GPU));
  }
}
