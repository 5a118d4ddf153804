package dev.imajin.gpuboss.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imajin.contracts.ErrorType;
import dev.imajin.contracts.ImajinException;
import dev.imajin.gpuboss.inventory.DeviceSpec;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DevicePoolsTest {
  private static final long GIB = 1L << 30;
  private static final String MODEL = "diffusion@node-a/starter/diffusion-64";

  private final Vertx vertx = Vertx.vertx();
  private final DevicePools pools =
      new DevicePools(
          vertx,
          List.of(
              new DeviceSpec("cuda:0", "cuda", 0, "NVIDIA H200", "config", 140 * GIB, GIB, 1),
              new DeviceSpec("cpu", "cpu", -1, "cpu", "system", 8 * GIB, 0, 2)));

  @AfterEach
  void close() {
    pools.closeAsync().await();
    vertx.close().await();
  }

  @Test
  @DisplayName("Work runs on the device's named worker pool, never on an event loop")
  void runsOnTheDevicePool() {
    String thread =
        pools
            .run(
                new TestLease("cpu", 1, MODEL),
                () -> {
                  assertThat(Context.isOnWorkerThread()).isTrue();
                  assertThat(Context.isOnEventLoopThread()).isFalse();
                  return Thread.currentThread().getName();
                })
            .await();
    assertThat(thread).startsWith("gpu-cpu-");
    assertThat(pools.run(new TestLease("cuda:0", 1, MODEL), this::threadName).await())
        .startsWith("gpu-cuda:0-");
  }

  @Test
  @DisplayName("A lease older than the newest seen for the same resource is refused; others run")
  void staleTokenRefused() {
    assertThat(pools.run(new TestLease("cpu", 7, MODEL), () -> "newest").await())
        .isEqualTo("newest");
    AtomicBoolean ran = new AtomicBoolean();
    assertConflict(
        pools.run(new TestLease("cpu", 6, MODEL), () -> ran.getAndSet(true)), "fenced out");
    assertThat(ran).isFalse();
    assertThat(pools.run(new TestLease("cpu", 7, MODEL), () -> "same lease").await())
        .isEqualTo("same lease");
    assertThat(pools.run(new TestLease("cpu", 5, "aesthetic@node-a/clip"), () -> "other").await())
        .isEqualTo("other");
    assertThat(pools.run(new TestLease("cuda:0", 6, MODEL), () -> "other device").await())
        .isEqualTo("other device");
  }

  @Test
  @DisplayName("A lease that is no longer valid is refused and its task not run")
  void invalidLeaseRefused() {
    AtomicBoolean ran = new AtomicBoolean();
    assertConflict(
        pools.run(new TestLease("cpu", 1, MODEL).invalidate(), () -> ran.getAndSet(true)),
        "no longer valid");
    assertThat(ran).isFalse();
  }

  @Test
  @DisplayName(
      "A lease that lapses while its task waits behind a long one is refused when its turn comes")
  void lapsesWhileQueued() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Future<Object> longTask =
        pools.run(new TestLease("cuda:0", 1, "prompt@node-a/llm"), () -> hold(started, release));
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
    TestLease queued = new TestLease("cuda:0", 2, MODEL);
    AtomicBoolean ran = new AtomicBoolean();
    Future<Boolean> waiting = pools.run(queued, () -> ran.getAndSet(true));
    queued.invalidate();
    release.countDown();
    longTask.await();
    assertConflict(waiting, "no longer valid");
    assertThat(ran).isFalse();
  }

  @Test
  @DisplayName(
      "A lease fenced out by a newer one while its task waits is refused when its turn comes")
  void fencedOutWhileQueued() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Future<Object> longTask =
        pools.run(new TestLease("cuda:0", 1, "prompt@node-a/llm"), () -> hold(started, release));
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
    AtomicBoolean oldRan = new AtomicBoolean();
    Future<Boolean> old =
        pools.run(new TestLease("cuda:0", 2, MODEL), () -> oldRan.getAndSet(true));
    Future<String> newer = pools.run(new TestLease("cuda:0", 3, MODEL), () -> "newer");
    release.countDown();
    longTask.await();
    assertConflict(old, "token 2 is older than token 3");
    assertThat(oldRan).isFalse();
    assertThat(newer.await()).isEqualTo("newer");
  }

  @Test
  @DisplayName("Work for a device this node does not have fails with 404")
  void unknownDevice() {
    assertThatThrownBy(() -> pools.run(new TestLease("cuda:7", 1, MODEL), () -> "x").await())
        .isInstanceOfSatisfying(
            ImajinException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.NOT_FOUND))
        .hasMessage("device 'cuda:7' does not exist");
    assertThatThrownBy(() -> pools.poolSize("cuda:7")).isInstanceOf(ImajinException.class);
  }

  @Test
  @DisplayName("A pool of size 2 runs two tasks at once, not three")
  void poolSizeRespected() throws Exception {
    assertThat(pools.poolSize("cpu")).isEqualTo(2);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    CountDownLatch twoStarted = new CountDownLatch(2);
    CountDownLatch release = new CountDownLatch(1);
    Callable<Integer> task =
        () -> {
          most.accumulateAndGet(running.incrementAndGet(), Math::max);
          twoStarted.countDown();
          release.await();
          return running.decrementAndGet();
        };
    List<Future<Integer>> tasks =
        List.of(
            pools.run(new TestLease("cpu", 1, "a"), task),
            pools.run(new TestLease("cpu", 1, "b"), task),
            pools.run(new TestLease("cpu", 1, "c"), task));
    assertThat(twoStarted.await(5, TimeUnit.SECONDS)).isTrue();
    Thread.sleep(200);
    assertThat(running.get()).isEqualTo(2);
    release.countDown();
    Future.all(tasks).await();
    assertThat(most.get()).isEqualTo(2);
  }

  @Test
  @DisplayName("A task's own failure fails the future")
  void taskFailure() {
    assertThatThrownBy(
            () ->
                pools
                    .run(
                        new TestLease("cpu", 1, MODEL),
                        () -> {
                          throw new IllegalStateException("out of memory");
                        })
                    .await())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("out of memory");
  }

  @Test
  @DisplayName("A device listed twice is refused")
  void duplicateDevice() {
    DeviceSpec cpu = new DeviceSpec("cpu", "cpu", -1, "cpu", "system", GIB, 0, 1);
    assertThatThrownBy(() -> new DevicePools(vertx, List.of(cpu, cpu)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("Once closed, the pools refuse work with 503")
  void closed() {
    pools.closeAsync().await();
    assertThatThrownBy(() -> pools.run(new TestLease("cpu", 1, MODEL), () -> "x").await())
        .isInstanceOfSatisfying(
            ImajinException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.UNAVAILABLE));
  }

  private String threadName() {
    return Thread.currentThread().getName();
  }

  private static Object hold(CountDownLatch started, CountDownLatch release)
      throws InterruptedException {
    started.countDown();
    return release.await(10, TimeUnit.SECONDS);
  }

  private static void assertConflict(Future<?> refused, String why) {
    assertThatThrownBy(refused::await)
        .isInstanceOfSatisfying(
            ImajinException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.CONFLICT))
        .hasMessageContaining(why);
  }
}
