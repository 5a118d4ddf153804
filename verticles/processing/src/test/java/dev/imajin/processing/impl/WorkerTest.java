package dev.imajin.processing.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imajin.contracts.ImajinException;
import dev.imajin.runtime.config.ImajinConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class WorkerTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  @DisplayName("Work runs on the processing pool, never on an event loop")
  void runsOnThePool() {
    Worker worker = new Worker(vertx, new ImajinConfig.Processing(1000, 1, 1, 5_000, 0.5));
    String thread = worker.run(job -> Thread.currentThread().getName()).await();
    assertThat(thread).startsWith(Worker.POOL);
  }

  @Test
  @DisplayName("Beyond pool size + max-queued, requests are refused with 503 and a retry hint")
  void refusesWhenFull() throws Exception {
    Worker worker = new Worker(vertx, new ImajinConfig.Processing(1000, 1, 1, 5_000, 0.5));
    CountDownLatch release = new CountDownLatch(1);
    Future<Object> first = worker.run(job -> await(release));
    Future<Object> second = worker.run(job -> await(release));
    assertThatThrownBy(() -> worker.run(job -> "third").await())
        .isInstanceOfSatisfying(
            ImajinException.class,
            e -> {
              assertThat(e.status()).isEqualTo(503);
              assertThat(e.retryAfterSeconds()).isEqualTo(1);
            });
    release.countDown();
    Future.all(first, second).await();
    assertThat(worker.inFlight()).isZero();
    assertThat(worker.run(job -> "again").await()).isEqualTo("again");
  }

  @Test
  @DisplayName("A request past its deadline is answered 503 and its work is told to stop")
  void deadline() throws Exception {
    Worker worker = new Worker(vertx, new ImajinConfig.Processing(1000, 1, 0, 200, 0.5));
    AtomicBoolean aborted = new AtomicBoolean();
    CountDownLatch stopped = new CountDownLatch(1);
    Future<Object> slow =
        worker.run(
            job -> {
              job.onExpiry(() -> aborted.set(true));
              try {
                while (true) {
                  job.checkDeadline();
                  Thread.sleep(10);
                }
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              } finally {
                stopped.countDown();
              }
            });
    assertThatThrownBy(slow::await)
        .isInstanceOfSatisfying(
            ImajinException.class,
            e -> {
              assertThat(e.status()).isEqualTo(503);
              assertThat(e.getMessage()).contains("200 ms");
            });
    assertThat(stopped.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(aborted).isTrue();
  }

  private static Object await(CountDownLatch latch) {
    try {
      latch.await();
      return "done";
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
