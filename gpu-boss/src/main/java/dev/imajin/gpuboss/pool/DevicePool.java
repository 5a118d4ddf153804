package dev.imajin.gpuboss.pool;

import dev.imajin.contracts.ImajinException;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.util.concurrent.Callable;

/** One device's worker executor and the fencing tokens it has seen. */
final class DevicePool {
  private final String device;
  private final int size;
  private final WorkerExecutor executor;
  private final FencingTokens tokens = new FencingTokens(System::nanoTime);

  DevicePool(String device, int size, WorkerExecutor executor) {
    this.device = device;
    this.size = size;
    this.executor = executor;
  }

  int size() {
    return size;
  }

  <T> Future<T> run(Fenced lease, Callable<T> task) {
    if (!lease.valid()) {
      return Future.failedFuture(invalid(lease));
    }
    long newest = tokens.admit(lease.resource(), lease.fencingToken());
    if (newest > lease.fencingToken()) {
      return Future.failedFuture(fencedOut(lease, newest));
    }
    return executor.executeBlocking(() -> runIfCurrent(lease, task), false);
  }

  Future<Void> close() {
    return executor.close();
  }

  /** On the worker thread: the lease may have lapsed, or been fenced out, while the task queued. */
  private <T> T runIfCurrent(Fenced lease, Callable<T> task) throws Exception {
    if (!lease.valid()) {
      throw invalid(lease);
    }
    long newest = tokens.newest(lease.resource());
    if (newest > lease.fencingToken()) {
      throw fencedOut(lease, newest);
    }
    return task.call();
  }

  private ImajinException invalid(Fenced lease) {
    return ImajinException.conflict(
        name(lease) + " is no longer valid: released, expired or its renewal was refused");
  }

  private ImajinException fencedOut(Fenced lease, long newest) {
    return ImajinException.conflict(
        name(lease)
            + " is fenced out: its token "
            + lease.fencingToken()
            + " is older than token "
            + newest
            + " of a newer lease for '"
            + lease.resource()
            + "'");
  }

  private String name(Fenced lease) {
    return "Lease '" + lease.leaseId() + "' on device '" + device + "'";
  }
}
