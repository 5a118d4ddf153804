package dev.imajin.gpuboss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imajin.contracts.ImajinException;
import dev.imajin.contracts.gpuboss.Device;
import dev.imajin.contracts.gpuboss.Lease;
import dev.imajin.contracts.gpuboss.LeaseRequest;
import dev.imajin.contracts.gpuboss.ReleaseRequest;
import dev.imajin.contracts.gpuboss.RenewRequest;
import dev.imajin.gpuboss.client.HeldLease;
import dev.imajin.gpuboss.client.LeaseClient;
import dev.imajin.runtime.testing.TestNodes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The broker deployed as a service on a real Redis, with three configured devices: cuda:0 (1000
 * bytes, no reserve), cuda:1 (2000 bytes, 100 reserved) and cpu (500 bytes).
 */
class BrokerTest {
  private Vertx vertx;
  private GpuBossVerticle verticle;
  private GpuBossService boss;

  @BeforeEach
  void deploy() {
    vertx = Vertx.vertx();
    verticle = new GpuBossVerticle(TestNodes.context(vertx, settings()));
    vertx.deployVerticle(verticle).await();
    boss = verticle.service();
  }

  static String[] settings(String... more) {
    List<String> all =
        new ArrayList<>(
            List.of(
                "node.name=test-" + UUID.randomUUID(),
                "gpu-boss.discovery=config",
                "gpu-boss.devices.cuda:0.capacity-bytes=1000",
                "gpu-boss.devices.cuda:0.reserve-bytes=0",
                "gpu-boss.devices.cuda:1.capacity-bytes=2000",
                "gpu-boss.devices.cuda:1.reserve-bytes=100",
                "gpu-boss.cpu-capacity-bytes=500",
                "gpu-boss.sweep-interval-ms=100",
                "gpu-boss.starvation-ms=300",
                "gpu-boss.reclaim-timeout-ms=2000"));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void listsTheConfiguredDevicesGpusFirst() {
    List<Device> devices = boss.listDevices().await().devices();
    assertEquals(List.of("cuda:0", "cuda:1", "cpu"), devices.stream().map(Device::id).toList());
    Device one = devices.get(1);
    assertEquals(2000, one.capacityBytes());
    assertEquals(100, one.reserveBytes());
    assertEquals(1900, one.freeBytes());
    assertEquals(Device.Source.CONFIG, one.source());
  }

  @Test
  void picksTheDeviceWhereTheRequestFitsBest() {
    assertEquals("cpu", acquire(null, 400, "a", 5, 0).device(), "cpu has the least free memory");
    assertEquals("cuda:0", acquire("cuda", 400, "b", 5, 0).device(), "among GPUs, cuda:0");
    assertEquals("cuda:1", acquire("cuda", 1500, "c", 5, 0).device(), "only cuda:1 can hold it");
    ImajinException never =
        assertThrows(ImajinException.class, () -> acquire(null, 5000, "d", 5, 0));
    assertEquals(422, never.status());
    assertTrue(never.getMessage().contains("cuda:1 1900 usable"), never.getMessage());
  }

  @Test
  void refusesWhatDoesNotFitWithWhatWasAskedWhatIsFreeAndWhoHoldsIt() {
    acquire("cuda:0", 700, "diffusion@a", 5, 0);
    ImajinException full =
        assertThrows(ImajinException.class, () -> acquire("cuda:0", 400, "semantic@a", 5, 0));
    assertEquals(409, full.status());
    assertTrue(
        full.getMessage().contains("requested 400 bytes, free 300 of 1000 usable"),
        full.getMessage());
    assertTrue(full.getMessage().contains("diffusion@a (700 bytes, 1 lease)"), full.getMessage());
    assertNotNull(full.retryAfterSeconds());
    assertEquals(
        422,
        assertThrows(ImajinException.class, () -> acquire("cuda:0", 1001, "x", 5, 0)).status());
    assertEquals(
        404, assertThrows(ImajinException.class, () -> acquire("cuda:9", 1, "x", 5, 0)).status());
    assertEquals(700, boss.getDevice("cuda:0").await().usedBytes(), "refusals change nothing");
  }

  @Test
  void staleTokensAndLateReleasesAreRefusedAndChangeNothing() {
    Lease lease = acquire("cuda:0", 600, "h", 5, 0);
    long token = lease.fencingToken();
    ImajinException stale =
        assertThrows(
            ImajinException.class,
            () -> boss.releaseLease(lease.leaseId(), new ReleaseRequest(token + 1)).await());
    assertEquals(409, stale.status());
    assertEquals(600, boss.getDevice("cuda:0").await().usedBytes());
    assertEquals(
        600, boss.releaseLease(lease.leaseId(), new ReleaseRequest(token)).await().bytes());
    assertEquals(
        409,
        assertThrows(
                ImajinException.class,
                () -> boss.releaseLease(lease.leaseId(), new ReleaseRequest(token)).await())
            .status());
    assertEquals(
        409,
        assertThrows(
                ImajinException.class,
                () -> boss.renewLease(lease.leaseId(), new RenewRequest(token, null, null)).await())
            .status());
    Lease next = acquire("cuda:0", 1000, "h2", 5, 0);
    assertTrue(next.fencingToken() > token);
    assertEquals(
        409,
        assertThrows(
                ImajinException.class,
                () -> boss.releaseLease(lease.leaseId(), new ReleaseRequest(token)).await())
            .status());
    assertEquals(1000, boss.getDevice("cuda:0").await().usedBytes());
  }

  @Test
  void servesWaitersByPriorityThenArrival() throws Exception {
    Lease full = acquire("cuda:0", 1000, "full", 5, 0);
    List<String> granted = new CopyOnWriteArrayList<>();
    List<Future<Lease>> waiting = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      String name = "p5-" + i;
      waiting.add(request("cuda:0", 200, name, 5, 10_000).onSuccess(l -> granted.add(name)));
      awaitQueued(i);
    }
    waiting.add(request("cuda:0", 200, "p7", 7, 10_000).onSuccess(l -> granted.add("p7")));
    awaitQueued(6);
    assertEquals(
        List.of("p7", "p5-1", "p5-2", "p5-3", "p5-4", "p5-5"),
        boss.getQueue("cuda:0").await().queues().get(0).waiters().stream()
            .map(w -> w.holder())
            .toList());
    boss.releaseLease(full.leaseId(), new ReleaseRequest(full.fencingToken())).await();
    waitUntil(() -> granted.size() == 5);
    assertEquals(List.of("p7", "p5-1", "p5-2", "p5-3", "p5-4"), granted);
    List<Long> tokens = waiting.subList(0, 4).stream().map(f -> f.result().fencingToken()).toList();
    assertEquals(tokens.stream().sorted().toList(), tokens, "tokens follow the grant order");
    assertFalse(waiting.get(4).isComplete(), "p5-5 waits for memory");
    Lease first = waiting.get(0).result();
    boss.releaseLease(first.leaseId(), new ReleaseRequest(first.fencingToken())).await();
    assertEquals("p5-5", waiting.get(4).await().holder());
  }

  @Test
  void aLargeRequestIsNotStarvedByAStreamOfSmallOnes() throws Exception {
    Lease half = acquire("cuda:0", 500, "half", 5, 0);
    Future<Lease> large = request("cuda:0", 800, "large", 5, 10_000);
    awaitQueued(1);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger smallGrants = new AtomicInteger();
    for (int i = 0; i < 4; i++) {
      smallLoop("small-" + i, stop, smallGrants);
    }
    TimeUnit.MILLISECONDS.sleep(200);
    boss.releaseLease(half.leaseId(), new ReleaseRequest(half.fencingToken())).await();
    try {
      Lease granted = large.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      assertEquals(800, granted.bytes());
      assertTrue(smallGrants.get() > 0, "small requests were served meanwhile");
    } finally {
      stop.set(true);
    }
  }

  @Test
  void asksIdleResidentHoldersToUnloadLeastRecentlyUsedFirstAndNeverABusyOne() throws Exception {
    LeaseClient models = new LeaseClient(vertx, "models@test", 5_000);
    List<String> asked = new CopyOnWriteArrayList<>();
    models
        .onReclaim(
            request -> {
              asked.add(request.model());
              return Future.succeededFuture(true);
            })
        .await();
    HeldLease old = models.acquire(resident("m-old", 300)).await();
    HeldLease recent = models.acquire(resident("m-recent", 300)).await();
    HeldLease busy = models.acquire(resident("m-busy", 300)).await();
    busy.busy(true).await();
    recent.busy(true).await();
    recent.busy(false).await(); // used after m-old
    Lease wanted = request("cuda:0", 450, "diffusion@test", 5, 5_000).await();
    assertEquals(450, wanted.bytes());
    assertEquals(
        List.of("m-old", "m-recent"), asked, "free 100 + 300 + 300 fits 450; never m-busy");
    assertFalse(old.valid());
    assertTrue(busy.valid());
    assertEquals(
        List.of("m-busy"),
        boss.getDevice("cuda:0").await().residentModels().stream().map(m -> m.model()).toList());
  }

  @Test
  void anIdempotencyKeyReturnsTheSameLeaseWhileItLives() {
    LeaseRequest request = new LeaseRequest("cuda:0", 600, "retry@test", 5, false, null, 10_000, 0);
    Lease first = boss.acquireLease(request, "key-0001").await();
    Lease again = boss.acquireLease(request, "key-0001").await();
    assertEquals(first.leaseId(), again.leaseId());
    assertEquals(first.fencingToken(), again.fencingToken());
    assertEquals(600, boss.getDevice("cuda:0").await().usedBytes(), "leased once");
    boss.releaseLease(first.leaseId(), new ReleaseRequest(first.fencingToken())).await();
    Lease fresh = boss.acquireLease(request, "key-0001").await();
    assertTrue(fresh.fencingToken() > first.fencingToken(), "a released key leases anew");

    LeaseRequest anywhere = new LeaseRequest(null, 400, "retry@test", 5, false, null, 10_000, 0);
    Lease placed = boss.acquireLease(anywhere, "key-0002").await();
    assertEquals(placed.leaseId(), boss.acquireLease(anywhere, "key-0002").await().leaseId());
  }

  @Test
  void zeroWaitAnswersAtOnceAndADeadlineEndsTheWait() {
    acquire("cuda:0", 1000, "full", 5, 0);
    long start = System.nanoTime();
    ImajinException late =
        assertThrows(ImajinException.class, () -> acquire("cuda:0", 10, "w", 5, 300));
    long waitedMs = (System.nanoTime() - start) / 1_000_000;
    assertEquals(409, late.status());
    assertTrue(waitedMs >= 300, "waited " + waitedMs + " ms");
    assertTrue(late.getMessage().contains("waited 300 ms"), late.getMessage());
    assertTrue(boss.getQueue("cuda:0").await().queues().get(0).waiters().isEmpty());
  }

  private LeaseRequest resident(String model, long bytes) {
    return new LeaseRequest("cuda:0", bytes, "models@test", 5, true, model, 10_000, 0);
  }

  private void smallLoop(String holder, AtomicBoolean stop, AtomicInteger grants) {
    if (stop.get()) {
      return;
    }
    request("cuda:0", 100, holder, 5, 10_000)
        .onComplete(
            got -> {
              if (got.succeeded()) {
                grants.incrementAndGet();
                Lease l = got.result();
                vertx.setTimer(
                    50,
                    t ->
                        boss.releaseLease(l.leaseId(), new ReleaseRequest(l.fencingToken()))
                            .onComplete(r -> smallLoop(holder, stop, grants)));
              }
            });
  }

  private void awaitQueued(int n) throws Exception {
    waitUntil(() -> boss.getQueue("cuda:0").await().queues().get(0).waiting() == n);
  }

  static void waitUntil(java.util.function.BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met in 10 s");
      }
      TimeUnit.MILLISECONDS.sleep(10);
    }
  }

  private Lease acquire(String device, long bytes, String holder, int priority, int maxWaitMs) {
    return request(device, bytes, holder, priority, maxWaitMs).await();
  }

  private Future<Lease> request(
      String device, long bytes, String holder, int priority, int maxWaitMs) {
    return boss.acquireLease(
        new LeaseRequest(device, bytes, holder, priority, false, null, 10_000, maxWaitMs), null);
  }
}
