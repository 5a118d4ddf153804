package dev.imajin.gpuboss.store;

import io.vertx.core.Future;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Blocks a test thread on a Vert.x future; never call it on an event loop. */
final class Await {
  private static final long TIMEOUT_SECONDS = 10;

  private Await() {}

  /** The future's result; a failure or a 10 s wait fails the test. */
  static <T> T await(Future<T> future) {
    try {
      return get(future);
    } catch (ExecutionException e) {
      throw new AssertionError(e.getCause());
    }
  }

  /** The future's result, or its failure as an {@link ExecutionException}. */
  static <T> T get(Future<T> future) throws ExecutionException {
    try {
      return future
          .toCompletionStage()
          .toCompletableFuture()
          .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } catch (TimeoutException e) {
      throw new AssertionError("no answer within " + TIMEOUT_SECONDS + " s", e);
    }
  }
}
