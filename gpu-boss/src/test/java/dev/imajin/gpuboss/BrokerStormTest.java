package dev.imajin.gpuboss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imajin.contracts.ImajinException;
import dev.imajin.contracts.gpuboss.Lease;
import dev.imajin.contracts.gpuboss.LeaseRequest;
import dev.imajin.contracts.gpuboss.ReleaseRequest;
import dev.imajin.gpuboss.store.LeaseStore;
import dev.imajin.runtime.RedisClients;
import dev.imajin.runtime.testing.TestNodes;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Many clients acquire and release through the broker while an auditor reads Redis directly: the
 * live leases never exceed a device's usable memory, the counter always equals their sum, no lease
 * is granted twice, and every request ends.
 */
class BrokerStormTest {
  private static final int CLIENTS = 48;
  private static final int REQUESTS_PER_CLIENT = 60;
  private Vertx vertx;
  private String node;
  private GpuBossService boss;

  @BeforeEach
  void deploy() {
    vertx = Vertx.vertx();
    node = "storm-" + UUID.randomUUID();
    GpuBossVerticle verticle =
        new GpuBossVerticle(
            TestNodes.context(
                vertx, BrokerTest.settings("node.name=" + node, "gpu-boss.starvation-ms=100")));
    vertx.deployVerticle(verticle).await();
    boss = verticle.service();
  }

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void aStormOfClientsNeverOverfillsADeviceAndEveryRequestEnds() throws Exception {
    Map<String, Long> usable = Map.of("cuda:0", 1000L, "cuda:1", 1900L, "cpu", 500L);
    Redis redis = RedisClients.create(vertx, TestNodes.redis().url());
    LeaseStore keys = new LeaseStore(redis, node, 2_000);
    List<String> violations = new CopyOnWriteArrayList<>();
    AtomicInteger audits = new AtomicInteger();
    long auditor =
        vertx.setPeriodic(
            5,
            id ->
                usable.forEach(
                    (device, limit) ->
                        audit(redis, keys.keys(device), device, limit, violations, audits)));

    Set<String> granted = ConcurrentHashMap.newKeySet();
    Set<String> tokens = ConcurrentHashMap.newKeySet();
    Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
    List<Future<Void>> clients = new java.util.ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      clients.add(client(c, granted, tokens, outcomes, violations));
    }
    Future.all(clients).toCompletionStage().toCompletableFuture().get(90, TimeUnit.SECONDS);
    vertx.cancelTimer(auditor);

    int ended = outcomes.values().stream().mapToInt(AtomicInteger::get).sum();
    assertEquals(CLIENTS * REQUESTS_PER_CLIENT, ended, "every request ended: " + outcomes);
    assertTrue(
        outcomes.get("granted").get() > CLIENTS * REQUESTS_PER_CLIENT / 4, outcomes.toString());
    assertEquals(List.of(), violations.subList(0, Math.min(5, violations.size())));
    assertTrue(audits.get() > 50, "the auditor ran " + audits.get() + " times");
    for (String device : usable.keySet()) {
      assertEquals(0, boss.getDevice(device).await().usedBytes(), device + " is empty again");
    }
  }

  private Future<Void> client(
      int c,
      Set<String> granted,
      Set<String> tokens,
      Map<String, AtomicInteger> outcomes,
      List<String> violations) {
    SplittableRandom random = new SplittableRandom(c);
    Promise<Void> done = Promise.promise();
    loop(random, REQUESTS_PER_CLIENT, "client-" + c, granted, tokens, outcomes, violations, done);
    return done.future();
  }

  private void loop(
      SplittableRandom random,
      int left,
      String holder,
      Set<String> granted,
      Set<String> tokens,
      Map<String, AtomicInteger> outcomes,
      List<String> violations,
      Promise<Void> done) {
    if (left == 0) {
      done.complete();
      return;
    }
    String[] devices = {null, "cuda", "cuda:0", "cuda:1", "cpu"};
    String device = devices[random.nextInt(devices.length)];
    long bytes = 1 + random.nextInt(450);
    int maxWait = random.nextInt(4) == 0 ? 0 : 50 + random.nextInt(400);
    int priority = random.nextInt(3) * 3;
    boss.acquireLease(
            new LeaseRequest(device, bytes, holder, priority, false, null, 10_000, maxWait), null)
        .onComplete(
            got -> {
              Runnable next =
                  () -> loop(random, left - 1, holder, granted, tokens, outcomes, violations, done);
              if (got.failed()) {
                int status = got.cause() instanceof ImajinException e ? e.status() : -1;
                if (status != 409) {
                  violations.add("unexpected failure " + got.cause());
                }
                count(outcomes, "refused-" + status);
                next.run();
                return;
              }
              Lease lease = got.result();
              count(outcomes, "granted");
              // Tokens increase per device, so they are unique per device.
              if (!granted.add(lease.leaseId())
                  || !tokens.add(lease.device() + "#" + lease.fencingToken())) {
                violations.add("granted twice: " + lease);
              }
              vertx.setTimer(
                  1 + random.nextInt(30),
                  t ->
                      boss.releaseLease(lease.leaseId(), new ReleaseRequest(lease.fencingToken()))
                          .onComplete(
                              released -> {
                                if (released.failed()) {
                                  violations.add("release failed " + released.cause());
                                }
                                next.run();
                              }));
            });
  }

  private static void count(Map<String, AtomicInteger> outcomes, String name) {
    outcomes.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
  }

  /** Reads a device's counter and leases in one MULTI, so the two are from the same instant. */
  private static void audit(
      Redis redis,
      List<String> keys,
      String device,
      long usable,
      List<String> violations,
      AtomicInteger audits) {
    redis
        .batch(
            List.of(
                Request.cmd(Command.MULTI),
                Request.cmd(Command.HGET).arg(keys.get(0)).arg("used"),
                Request.cmd(Command.HVALS).arg(keys.get(1)),
                Request.cmd(Command.EXEC)))
        .onSuccess(
            replies -> {
              Response exec = replies.get(3);
              long used = exec.get(0) == null ? 0 : exec.get(0).toLong();
              long sum = 0;
              for (Response lease : exec.get(1)) {
                sum += new JsonObject(lease.toString()).getLong("bytes");
              }
              audits.incrementAndGet();
              if (sum > usable || used != sum) {
                violations.add(
                    device + ": used " + used + ", leases " + sum + ", usable " + usable);
              }
            });
  }
}
