package dev.imajin.diffusion.impl;

import dev.imajin.contracts.Addresses;
import dev.imajin.contracts.ImajinException;
import dev.imajin.contracts.Json;
import dev.imajin.contracts.common.Job;
import dev.imajin.contracts.common.JobEvent;
import dev.imajin.contracts.common.JobState;
import dev.imajin.contracts.diffusion.GenerationJob;
import dev.imajin.contracts.diffusion.GenerationJobRequest;
import dev.imajin.contracts.diffusion.GenerationResult;
import dev.imajin.inference.diffusion.Cancellation;
import dev.imajin.inference.diffusion.StepEvent;
import dev.imajin.runtime.EventStream;
import dev.imajin.runtime.impl.ErrorMapper;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generations run as jobs. A job is checked and admitted when it is created (a bad request or a
 * full queue is answered then, not later as a failed job), then runs in the background on this
 * node. Its record and its events live in Redis ({@link JobStore}), so any node answers {@code
 * getJob} and streams its events; each event is also published on {@code imajin.progress.<job_id>}
 * once stored, with its stored id. Cancelling reaches the node that runs the job over the event
 * bus; a job that has not started is cancelled at once, a running one at its next step.
 *
 * <p>Events: {@code queued}; {@code stage_started}/{@code stage_finished} {@code load} when the
 * model had to be loaded; {@code stage_started} {@code denoise}; one {@code diffusion_step} per
 * step of each image; then {@code completed}, {@code failed} (with the problem) or {@code
 * cancelled}. State is changed on the verticle's event loop only.
 */
final class Jobs {
  static final long ACTIVE_TTL_MS = 24 * 3_600_000L;
  static final long CANCEL_WAIT_MS = 5_000;
  static final long STOP_WAIT_MS = 2_000;
  private static final Logger LOG = LoggerFactory.getLogger(Jobs.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] ID_CHARS = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();

  private final Vertx vertx;
  private final Context context;
  private final JobStore store;
  private final Plans plans;
  private final Generator generator;
  private final Admission admission;
  private final long retentionMs;
  private final Map<String, Running> running = new ConcurrentHashMap<>();

  Jobs(
      Vertx vertx,
      JobStore store,
      Plans plans,
      Generator generator,
      Admission admission,
      long retentionMs) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.store = store;
    this.plans = plans;
    this.generator = generator;
    this.admission = admission;
    this.retentionMs = retentionMs;
  }

  static String cancelAddress(String jobId) {
    return Addresses.PREFIX + "diffusion.jobs." + jobId + ".cancel";
  }

  static String eventsUrl(String jobId) {
    return "/v1/jobs/" + jobId + "/events";
  }

  Future<Job> create(GenerationJobRequest request, String idempotencyKey) {
    return plans
        .job(request)
        .compose(
            plan -> {
              String id = newId();
              Future<String> claimed =
                  idempotencyKey == null
                      ? Future.succeededFuture(null)
                      : store.claim(idempotencyKey, id, retentionMs);
              // A retry gets its job whatever the queue holds; only a new job needs a place.
              return claimed.compose(
                  existing -> {
                    if (existing != null) {
                      return existing(existing, 10);
                    }
                    Admission.Ticket ticket;
                    try {
                      ticket = admission.admit();
                    } catch (RuntimeException full) {
                      Future<Void> released =
                          idempotencyKey == null
                              ? Future.succeededFuture()
                              : store.unclaim(idempotencyKey, id);
                      return released.transform(v -> Future.<Job>failedFuture(full));
                    }
                    return start(id, plan, ticket).onFailure(e -> ticket.leave());
                  });
            });
  }

  /** The job an idempotency key names; its record may still be on its way. */
  private Future<Job> existing(String id, int tries) {
    return job(id)
        .map(GenerationJob::job)
        .recover(
            e ->
                tries > 0
                    ? vertx.timer(50, TimeUnit.MILLISECONDS).compose(t -> existing(id, tries - 1))
                    : Future.failedFuture(e));
  }

  private Future<Job> start(String id, Plans.Plan plan, Admission.Ticket ticket) {
    Running job = new Running(id, plan, ticket);
    running.put(id, job);
    job.cancels =
        vertx
            .eventBus()
            .consumer(
                cancelAddress(id),
                message ->
                    cancelHere(job)
                        .onSuccess(j -> message.reply(Json.toJson(j)))
                        .onFailure(
                            e -> message.fail(ErrorMapper.toImajin(e).status(), e.getMessage())));
    JobEvent queued = StepEvents.simple(id, JobEvent.Type.QUEUED, null, null);
    Future<Job> stored =
        store
            .append(queued, job.record, ACTIVE_TTL_MS)
            .map(
                eventId -> {
                  vertx
                      .eventBus()
                      .publish(Addresses.progress(id), StepEvents.withId(queued, eventId));
                  return job.record.job();
                });
    job.writes = stored.<Void>mapEmpty().otherwiseEmpty();
    return stored
        .onSuccess(v -> job.run())
        .onFailure(
            e -> {
              running.remove(id);
              job.cancels.unregister();
            });
  }

  Future<GenerationJob> job(String id) {
    Running job = running.get(id);
    if (job != null) {
      return Future.succeededFuture(job.record);
    }
    return store
        .load(id)
        .map(
            record -> {
              if (record == null) {
                throw ImajinException.notFound("job", id);
              }
              return record;
            });
  }

  Future<Job> cancel(String id) {
    Running job = running.get(id);
    if (job != null) {
      return cancelHere(job);
    }
    return job(id)
        .compose(
            record -> {
              if (record.job().state().isFinal()) {
                return Future.failedFuture(alreadyOver(record.job()));
              }
              return vertx
                  .eventBus()
                  .request(cancelAddress(id), null)
                  .map(reply -> Json.fromJson((JsonObject) reply.body(), Job.class))
                  .recover(e -> orphan(record, e));
            });
  }

  /** A job whose node is gone (nothing answers its cancel address): recorded as cancelled. */
  private Future<Job> orphan(GenerationJob record, Throwable e) {
    if (!(e instanceof ReplyException r) || r.failureType() != ReplyFailure.NO_HANDLERS) {
      return Future.failedFuture(
          e instanceof ReplyException r2 ? ImajinException.conflict(r2.getMessage()) : e);
    }
    Job cancelled =
        withState(record.job(), JobState.CANCELLED, null, "the node running it is gone", null);
    GenerationJob updated = new GenerationJob(cancelled, record.mode(), null);
    JobEvent event =
        StepEvents.simple(
            cancelled.id(), JobEvent.Type.CANCELLED, null, "the node running it is gone");
    return store.append(event, updated, retentionMs).map(cancelled);
  }

  private Future<Job> cancelHere(Running job) {
    Job now = job.record.job();
    if (now.state().isFinal()) {
      return Future.failedFuture(alreadyOver(now));
    }
    job.cancellation.cancel("cancelled by request");
    if (!job.ticket.started()) {
      job.end(null, new CancellationException("cancelled before it started"));
    }
    return job.finished
        .future()
        .timeout(CANCEL_WAIT_MS, TimeUnit.MILLISECONDS)
        .transform(done -> job.writes.map(v -> job.record.job()));
  }

  private static ImajinException alreadyOver(Job job) {
    return ImajinException.conflict(
        "job " + job.id() + " has already ended: " + Json.toJson(job).getString("state"));
  }

  /** The job's events after {@code lastEventId}, live. */
  Future<EventStream> events(String id, String lastEventId) {
    if (lastEventId != null && !JobStore.isEventId(lastEventId)) {
      return Future.failedFuture(
          ImajinException.badRequest(
              "Last-Event-ID must be an event id such as 1795000000000-0, was " + lastEventId));
    }
    return job(id).map(j -> new JobEventStream(vertx, store, id, lastEventId));
  }

  /** Cancels every job of this node; they end as cancelled. */
  Future<Void> close() {
    List<Future<Void>> ends =
        running.values().stream()
            .map(
                job -> {
                  job.cancellation.cancel("the diffusion service stopped");
                  job.end(null, new CancellationException("the diffusion service stopped"));
                  return job.writes;
                })
            .toList();
    return Future.join(ends)
        .timeout(STOP_WAIT_MS, TimeUnit.MILLISECONDS)
        .otherwiseEmpty()
        .mapEmpty();
  }

  private static String newId() {
    StringBuilder id = new StringBuilder("job_");
    for (int i = 0; i < 22; i++) {
      id.append(ID_CHARS[RANDOM.nextInt(ID_CHARS.length)]);
    }
    return id.toString();
  }

  private static Job withState(
      Job job,
      JobState state,
      Double progress,
      String stage,
      dev.imajin.contracts.common.Problem error) {
    return new Job(
        job.id(),
        state,
        job.createdAt(),
        Instant.now(),
        job.batchId(),
        progress != null ? progress : job.progress(),
        stage,
        job.eventsUrl(),
        error);
  }

  /** A job of this node, from creation to its end. */
  private final class Running implements Generator.Listener {
    final String id;
    final Plans.Plan plan;
    final Admission.Ticket ticket;
    final Cancellation cancellation = new Cancellation();
    final Promise<Void> finished = Promise.promise();
    GenerationJob record;
    Future<Void> writes = Future.succeededFuture();
    MessageConsumer<Object> cancels;
    private boolean ended;

    Running(String id, Plans.Plan plan, Admission.Ticket ticket) {
      this.id = id;
      this.plan = plan;
      this.ticket = ticket;
      Instant now = Instant.now();
      this.record =
          new GenerationJob(
              new Job(id, JobState.QUEUED, now, now, null, 0.0, "queued", eventsUrl(id), null),
              plan.mode(),
              null);
    }

    void run() {
      generator
          .run(plan, ticket, this, cancellation)
          // the generation may complete on a device thread: end on the loop, after the events
          // its callbacks queued there, or they would be dropped as coming after the end
          .onComplete(done -> context.runOnContext(v -> end(done.result(), done.cause())));
    }

    @Override
    public void loading() {
      onLoop(
          () -> {
            change(JobState.RUNNING, null, "load");
            write(StepEvents.simple(id, JobEvent.Type.STAGE_STARTED, "load", null), true);
          });
    }

    @Override
    public void loaded() {
      onLoop(() -> write(StepEvents.simple(id, JobEvent.Type.STAGE_FINISHED, "load", null), false));
    }

    @Override
    public void started() {
      onLoop(
          () -> {
            change(JobState.RUNNING, null, StepEvents.DENOISE);
            write(
                StepEvents.simple(id, JobEvent.Type.STAGE_STARTED, StepEvents.DENOISE, null), true);
          });
    }

    @Override
    public void step(StepEvent step) {
      JobEvent event = StepEvents.of(id, step, plan.request().previewEvery());
      double progress = StepEvents.progress(step);
      onLoop(
          () -> {
            change(JobState.RUNNING, progress, StepEvents.DENOISE);
            write(event, true);
          });
    }

    /** Runs on the verticle's event loop, in the order called, unless the job has ended. */
    private void onLoop(Runnable action) {
      context.runOnContext(
          v -> {
            if (!ended) {
              action.run();
            }
          });
    }

    /** Records the end: the result, or the failure (a cancellation ends it as cancelled). */
    void end(GenerationResult result, Throwable failure) {
      if (ended) {
        return;
      }
      ended = true;
      running.remove(id);
      if (cancels != null) {
        cancels.unregister();
      }
      JobEvent event;
      if (failure == null) {
        record =
            new GenerationJob(
                withState(record.job(), JobState.SUCCEEDED, 1.0, null, null), plan.mode(), result);
        event = StepEvents.simple(id, JobEvent.Type.COMPLETED, null, null);
      } else if (failure instanceof CancellationException || cancellation.cancelled()) {
        record =
            new GenerationJob(
                withState(record.job(), JobState.CANCELLED, null, null, null), plan.mode(), null);
        event = StepEvents.simple(id, JobEvent.Type.CANCELLED, null, failure.getMessage());
      } else {
        var problem =
            ErrorMapper.toImajin(ImajinException.unavailableIfConflict(failure, null))
                .toProblem("diffusion", "/v1/jobs/" + id, null);
        record =
            new GenerationJob(
                withState(record.job(), JobState.FAILED, null, null, problem), plan.mode(), null);
        event =
            new JobEvent(
                null,
                id,
                JobEvent.Type.FAILED,
                Instant.now(),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                problem.detail(),
                problem);
        LOG.info("job {} failed: {}", id, problem.detail());
      }
      write(event, true);
      writes.onComplete(done -> finished.tryComplete());
    }

    private void change(JobState state, Double progress, String stage) {
      record =
          new GenerationJob(
              withState(record.job(), state, progress, stage, null), plan.mode(), null);
    }

    /** Stores the event (with the record now, when asked) after the writes before it. */
    void write(JobEvent event, boolean withRecord) {
      GenerationJob snapshot = withRecord ? record : null;
      long ttl = record.job().state().isFinal() ? retentionMs : ACTIVE_TTL_MS;
      writes =
          writes.compose(
              v ->
                  store
                      .append(event, snapshot, ttl)
                      .onSuccess(
                          eventId ->
                              vertx
                                  .eventBus()
                                  .publish(
                                      Addresses.progress(id), StepEvents.withId(event, eventId)))
                      .<Void>mapEmpty()
                      .recover(
                          e -> {
                            LOG.warn("job {}: an event was not stored: {}", id, e.getMessage());
                            return Future.succeededFuture();
                          }));
    }
  }
}
