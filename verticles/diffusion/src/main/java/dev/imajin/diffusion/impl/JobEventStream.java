package dev.imajin.diffusion.impl;

import dev.imajin.contracts.Addresses;
import dev.imajin.contracts.Json;
import dev.imajin.contracts.common.JobEvent;
import dev.imajin.contracts.diffusion.JobEventPage;
import dev.imajin.runtime.EventStream;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.List;

/**
 * A job's events from Redis, after a given id, as they are stored: read a page, and when there is
 * nothing new, wait for the job's next event on {@code imajin.progress.<job_id>} (or {@link
 * #POLL_MS}, whichever comes first) and read again. The stream ends after the job's final event, or
 * at once when that was already sent, or when the job has expired.
 */
final class JobEventStream implements EventStream {
  static final long POLL_MS = 1_000;
  static final long KEEP_ALIVE_MS = 15_000;
  static final int BATCH = 256;
  static final int PAGE = JobStore.MAX_EVENTS;

  private final Vertx vertx;
  private final JobStore store;
  private final String jobId;
  private String last;
  private MessageConsumer<Object> wake;
  private Promise<Void> waiting;
  private long timer = -1;
  private boolean closed;

  JobEventStream(Vertx vertx, JobStore store, String jobId, String after) {
    this.vertx = vertx;
    this.store = store;
    this.jobId = jobId;
    this.last = after;
  }

  @Override
  public Future<Batch> next() {
    if (wake == null) {
      wake = vertx.eventBus().consumer(Addresses.progress(jobId), m -> wakeUp());
    }
    return poll(System.nanoTime() + KEEP_ALIVE_MS * 1_000_000);
  }

  /**
   * The job's state is read before its events: the final event is stored together with the final
   * record, so when the record read first is final and no event follows the last one sent, the
   * final event was sent already.
   */
  private Future<Batch> poll(long deadline) {
    if (closed) {
      return Future.succeededFuture(new Batch(List.of(), true));
    }
    return store
        .load(jobId)
        .compose(
            record ->
                store
                    .after(jobId, last, BATCH)
                    .compose(
                        events -> {
                          if (!events.isEmpty()) {
                            last = events.get(events.size() - 1).id();
                            return Future.succeededFuture(
                                new Batch(
                                    events.stream().map(JobEventStream::event).toList(),
                                    ends(events)));
                          }
                          if (record == null || record.job().state().isFinal()) {
                            return Future.succeededFuture(new Batch(List.of(), true));
                          }
                          if (System.nanoTime() >= deadline) {
                            return Future.succeededFuture(new Batch(List.of(), false));
                          }
                          return sleep().compose(v -> poll(deadline));
                        }));
  }

  private static boolean ends(List<JobEvent> events) {
    return events.stream()
        .anyMatch(
            e ->
                e.type() == JobEvent.Type.COMPLETED
                    || e.type() == JobEvent.Type.FAILED
                    || e.type() == JobEvent.Type.CANCELLED);
  }

  static Event event(JobEvent e) {
    return new Event(e.id(), Json.toJson(e).getString("type"), e);
  }

  /** Until the job's next event is published, or {@link #POLL_MS}. */
  private Future<Void> sleep() {
    waiting = Promise.promise();
    timer = vertx.setTimer(POLL_MS, t -> wakeUp());
    return waiting.future();
  }

  private void wakeUp() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    Promise<Void> woken = waiting;
    waiting = null;
    if (woken != null) {
      woken.tryComplete();
    }
  }

  @Override
  public Future<?> page() {
    return store.after(jobId, last, PAGE).map(JobEventPage::new);
  }

  @Override
  public void close() {
    closed = true;
    wakeUp();
    if (wake != null) {
      wake.unregister();
    }
  }
}
