package dev.imajin.moderator.layers;

import dev.imajin.contracts.ErrorType;
import dev.imajin.contracts.ImajinException;
import dev.imajin.inference.model.ModelCatalog;
import dev.imajin.inference.model.ModelTask;
import dev.imajin.inference.runtime.HostedModels;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;

/**
 * The moderator's model slots: a model named by the policy, found in the registry, checked on disk,
 * loaded under a GPU Boss lease and run on its device's pool. Before every use the model's files
 * are checked again against what the registry recorded (size, and the pinned SHA-256, both cached
 * by size and modification time, so an unchanged file costs a {@code stat}): a model whose file was
 * deleted or changed makes its layer unavailable at once, rather than answering from a session
 * opened before, and a required layer then fails closed.
 */
final class ModelSlots {
  /** What a request does with a loaded model; runs on the device's pool. */
  @FunctionalInterface
  interface Task<T, R> {
    R run(T model) throws Exception;
  }

  private final HostedModels models;
  private final ModelCatalog catalog;
  private final WorkerExecutor io;

  ModelSlots(HostedModels models, ModelCatalog catalog, WorkerExecutor io) {
    this.models = models;
    this.catalog = catalog;
    this.io = io;
  }

  /** The model of this id and task, checked on disk and loaded. */
  <T> Future<HostedModels.Ready<T>> load(String id, ModelTask task, HostedModels.Reader<T> reader) {
    return catalog
        .resolve(id, task)
        .compose(entry -> io.executeBlocking(() -> catalog.registry().verify(entry), false))
        .compose(entry -> models.ensure(entry, reader));
  }

  /**
   * Runs a task on the model; a model unloaded between loading and running (the broker reclaimed
   * it) is loaded once more.
   */
  <T, R> Future<R> infer(
      String id, ModelTask task, HostedModels.Reader<T> reader, Task<T, R> work) {
    return load(id, task, reader)
        .compose(
            ready ->
                models
                    .run(ready, loaded -> work.run(ready.model()))
                    .recover(
                        e ->
                            isConflict(e)
                                ? models
                                    .ensure(ready.entry(), reader)
                                    .compose(
                                        again ->
                                            models.run(again, loaded -> work.run(again.model())))
                                : Future.failedFuture(e)));
  }

  private static boolean isConflict(Throwable e) {
    return e instanceof ImajinException ie && ie.type() == ErrorType.CONFLICT;
  }
}
