package dev.imajin.gpuboss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imajin.contracts.ImajinException;
import dev.imajin.contracts.gpuboss.Lease;
import dev.imajin.contracts.gpuboss.LeaseRequest;
import dev.imajin.runtime.EmbeddedRedis;
import dev.imajin.runtime.testing.TestNodes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Holders that die and a Redis that goes away: the broker's memory comes back, and it fails closed.
 */
class HolderFailureTest {
  private static final int TTL_MS = 2_000;
  private Vertx vertx;
  private Process child;

  @AfterEach
  void close() {
    if (child != null) {
      child.destroyForcibly();
    }
    if (vertx != null) {
      vertx.close().await();
    }
  }

  @Test
  void aKilledHoldersMemoryReturnsWithinItsTtlPlusASweepAndItsLateReleaseIsRefused()
      throws Exception {
    vertx = Vertx.vertx();
    GpuBossVerticle verticle = new GpuBossVerticle(TestNodes.context(vertx, BrokerTest.settings()));
    vertx.deployVerticle(verticle).await();
    String url = "http://127.0.0.1:" + verticle.actualPort();
    child = holder(url, TTL_MS);
    String[] lease =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))
            .readLine()
            .split(" ");
    assertEquals("LEASE", lease[0]);
    TimeUnit.MILLISECONDS.sleep(TTL_MS + 500); // it renews: still held past its first TTL
    assertEquals(800, verticle.service().getDevice("cuda:0").await().usedBytes());

    Future<Lease> waiter =
        verticle
            .service()
            .acquireLease(
                new LeaseRequest("cuda:0", 800, "next@test", 5, false, null, 30_000, 20_000), null);
    long killedAt = System.nanoTime();
    child.destroyForcibly().waitFor(); // SIGKILL: no release, no goodbye
    Lease next = waiter.toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
    long backMs = (System.nanoTime() - killedAt) / 1_000_000;
    assertTrue(backMs <= TTL_MS + 100 + 1_000, "memory came back after " + backMs + " ms");
    assertTrue(next.fencingToken() > Long.parseLong(lease[2]));

    WebClient web = WebClient.create(vertx);
    HttpResponse<Buffer> late =
        web.postAbs(url + "/v1/leases/" + lease[1] + "/release")
            .sendJsonObject(new JsonObject().put("fencing_token", Long.parseLong(lease[2])))
            .await();
    assertEquals(409, late.statusCode(), late.bodyAsString());
    assertEquals("application/problem+json", late.getHeader("Content-Type"));
    assertEquals(800, verticle.service().getDevice("cuda:0").await().usedBytes());
    assertEquals(
        java.util.List.of("next@test"),
        verticle.service().listLeases("cuda:0", null, null).await().leases().stream()
            .map(Lease::holder)
            .toList());
  }

  @Test
  void aHolderPausedPastItsTtlLosesTheLeaseAndLearnsItWhenItWakes() throws Exception {
    vertx = Vertx.vertx();
    GpuBossVerticle verticle = new GpuBossVerticle(TestNodes.context(vertx, BrokerTest.settings()));
    vertx.deployVerticle(verticle).await();
    child = holder("http://127.0.0.1:" + verticle.actualPort(), 1_000);
    BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    String[] lease = out.readLine().split(" ");
    signal("STOP"); // a pause longer than the TTL, as a long GC or a frozen VM would make
    try {
      Lease next =
          verticle
              .service()
              .acquireLease(
                  new LeaseRequest("cuda:0", 800, "next@test", 5, false, null, 30_000, 10_000),
                  null)
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
      assertTrue(next.fencingToken() > Long.parseLong(lease[2]));
    } finally {
      signal("CONT");
    }
    String lost = out.readLine();
    assertTrue(lost.startsWith("LOST 409"), lost);
    assertEquals(3, child.waitFor());
    assertEquals(800, verticle.service().getDevice("cuda:0").await().usedBytes());
  }

  private Process holder(String url, int ttlMs) throws Exception {
    return new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            HolderMain.class.getName(),
            url,
            "cuda:0",
            "800",
            Integer.toString(ttlMs))
        .redirectErrorStream(true)
        .start();
  }

  private void signal(String name) throws Exception {
    assertEquals(
        0, new ProcessBuilder("kill", "-" + name, Long.toString(child.pid())).start().waitFor());
  }

  @Test
  void withoutRedisNothingIsGrantedAndTheBrokerRecoversWhenItReturns() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    EmbeddedRedis redis = EmbeddedRedis.start(port);
    vertx = Vertx.vertx();
    GpuBossVerticle verticle =
        new GpuBossVerticle(
            TestNodes.context(vertx, BrokerTest.settings("redis.url=" + redis.url())));
    vertx.deployVerticle(verticle).await();
    GpuBossService boss = verticle.service();
    WebClient web = WebClient.create(vertx);
    String ready = "http://127.0.0.1:" + verticle.actualPort() + "/health/ready";
    Lease before = acquire(boss, 1_000).await();

    redis.close();
    ImajinException down = assertThrows(ImajinException.class, () -> acquire(boss, 10).await());
    assertEquals(503, down.status());
    assertTrue(down.getMessage().contains("Redis"), down.getMessage());
    BrokerTest.waitUntil(() -> web.getAbs(ready).send().await().statusCode() == 503);

    EmbeddedRedis again = EmbeddedRedis.start(port);
    try {
      // The new Redis lost every lease: the device grants nothing until the forgotten ones expire.
      BrokerTest.waitUntil(() -> web.getAbs(ready).send().await().statusCode() == 200);
      Lease after = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (after == null && System.nanoTime() < deadline) {
        try {
          after = acquire(boss, 10).await();
        } catch (ImajinException e) {
          assertTrue(e.status() == 409 || e.status() == 503, e.getMessage());
          TimeUnit.MILLISECONDS.sleep(100);
        }
      }
      assertTrue(after != null, "granted again after Redis came back");
      assertTrue(
          after.fencingToken() > before.fencingToken(),
          "fencing tokens keep increasing across the loss");
    } finally {
      again.close();
    }
  }

  private static Future<Lease> acquire(GpuBossService boss, long bytes) {
    return boss.acquireLease(
        new LeaseRequest("cuda:0", bytes, "h@test", 5, false, null, 1_000, 0), null);
  }
}
