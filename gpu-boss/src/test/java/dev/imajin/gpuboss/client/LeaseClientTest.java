package dev.imajin.gpuboss.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imajin.contracts.ImajinException;
import dev.imajin.contracts.gpuboss.LeaseRequest;
import dev.imajin.contracts.gpuboss.ReleaseRequest;
import dev.imajin.gpuboss.GpuBossVerticle;
import dev.imajin.gpuboss.pool.DevicePools;
import dev.imajin.runtime.testing.TestNodes;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A holder on the event bus: leases renew themselves, and stop being valid when they must. */
class LeaseClientTest {
  private Vertx vertx;
  private GpuBossVerticle broker;
  private String deployment;
  private LeaseClient client;
  private DevicePools pools;

  @BeforeEach
  void deploy() {
    vertx = Vertx.vertx();
    broker =
        new GpuBossVerticle(
            TestNodes.context(
                vertx,
                "node.name=test-" + UUID.randomUUID(),
                "gpu-boss.discovery=config",
                "gpu-boss.cpu-capacity-bytes=1000",
                "gpu-boss.sweep-interval-ms=100"));
    deployment = vertx.deployVerticle(broker).await();
    client = new LeaseClient(vertx, "holder@test", 2_000);
    pools = new DevicePools(vertx, broker.inventory());
  }

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void aHeldLeaseRenewsItselfPastItsTtlAndRunsWorkOnTheDevicesPool() throws Exception {
    HeldLease lease = client.acquire(request(400, 1_000)).await();
    TimeUnit.MILLISECONDS.sleep(2_500);
    assertTrue(lease.valid());
    assertEquals(
        List.of(lease.leaseId()),
        broker.service().listLeases("cpu", "holder@test", null).await().leases().stream()
            .map(l -> l.leaseId())
            .toList());
    String thread = pools.run(lease, () -> Thread.currentThread().getName()).await();
    assertTrue(thread.startsWith("gpu-cpu"), thread);
    lease.release().await();
    assertFalse(lease.valid());
    assertEquals(0, broker.service().getDevice("cpu").await().usedBytes());
  }

  @Test
  void aRefusedRenewalEndsTheLeaseAndThePoolRefusesItsWork() throws Exception {
    HeldLease lease = client.acquire(request(400, 1_000)).await();
    List<String> lost = new CopyOnWriteArrayList<>();
    lease.onLost(lost::add);
    // Someone else (here: the test) releases it, as the broker's expiry or eviction would.
    broker
        .service()
        .releaseLease(lease.leaseId(), new ReleaseRequest(lease.fencingToken()))
        .await();
    waitUntil(() -> !lost.isEmpty(), 2_000);
    assertFalse(lease.valid());
    assertTrue(lost.get(0).contains("not live"), lost.get(0));
    ImajinException refused =
        assertThrows(ImajinException.class, () -> pools.run(lease, () -> "ran").await());
    assertEquals(409, refused.status());
  }

  @Test
  void withoutTheBrokerALeaseStopsBeforeItsTtlEnds() throws Exception {
    HeldLease lease = client.acquire(request(400, 1_000)).await();
    long lastRenewalSentBefore = System.nanoTime();
    vertx.undeploy(deployment).await();
    waitUntil(() -> !lease.valid(), 2_000);
    long stoppedAfterMs = (System.nanoTime() - lastRenewalSentBefore) / 1_000_000;
    assertTrue(stoppedAfterMs < 1_000, "stopped " + stoppedAfterMs + " ms after, TTL is 1000");
    assertNotNull(lease.lostReason());
  }

  @Test
  void answersReclaimRequestsOnlyForIdleLeases() throws Exception {
    List<String> unloaded = new CopyOnWriteArrayList<>();
    client
        .onReclaim(
            r -> {
              unloaded.add(r.model());
              return io.vertx.core.Future.succeededFuture(true);
            })
        .await();
    HeldLease idle = client.acquire(resident("idle-model", 500)).await();
    HeldLease busy = client.acquire(resident("busy-model", 400)).await();
    busy.busy(true).await();
    var wanted =
        broker
            .service()
            .acquireLease(
                new LeaseRequest("cpu", 600, "other@test", 5, false, null, 10_000, 3_000), null)
            .await();
    assertEquals(600, wanted.bytes());
    assertEquals(List.of("idle-model"), unloaded);
    assertFalse(idle.valid());
    assertTrue(busy.valid());
  }

  private static LeaseRequest request(long bytes, int ttlMs) {
    return new LeaseRequest("cpu", bytes, "ignored", 5, false, null, ttlMs, 0);
  }

  private static LeaseRequest resident(String model, long bytes) {
    return new LeaseRequest("cpu", bytes, "ignored", 5, true, model, 10_000, 0);
  }

  private static void waitUntil(java.util.function.BooleanSupplier condition, long ms)
      throws Exception {
    long deadline = System.nanoTime() + ms * 1_000_000;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met in " + ms + " ms");
      }
      TimeUnit.MILLISECONDS.sleep(5);
    }
  }
}
