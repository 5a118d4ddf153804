package dev.imajin.diffusion.impl;

import dev.imajin.contracts.ImajinException;
import dev.imajin.contracts.Json;
import dev.imajin.contracts.common.JobEvent;
import dev.imajin.contracts.diffusion.GenerationJob;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Jobs in Redis, so that any node serves them: each job's record (its {@code GenerationJob} as
 * JSON) and its append-only event log (a stream, trimmed to about {@link #MAX_EVENTS}), under one
 * hash tag per job ({@code imajin:diffusion:job:{<id>}}), both expiring after the retention given
 * with each write. An event and the record it changes are written by one script, so a reader never
 * sees a final record before its final event, nor the reverse. Stream ids are the events' ids.
 */
final class JobStore {
  static final int MAX_EVENTS = 4096;
  static final long TIMEOUT_MS = 5_000;
  private static final Pattern STREAM_ID = Pattern.compile("\\d{1,20}-\\d{1,20}");
  private static final String APPEND =
      """
      local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[4], '*', 'e', ARGV[1])
      redis.call('PEXPIRE', KEYS[1], ARGV[3])
      if ARGV[2] ~= '' then redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3]) end
      return id
      """;

  private final Redis redis;

  JobStore(Redis redis) {
    this.redis = redis;
  }

  static String recordKey(String jobId) {
    return "imajin:diffusion:job:{" + jobId + "}";
  }

  static String eventsKey(String jobId) {
    return recordKey(jobId) + ":events";
  }

  static String idempotencyKey(String key) {
    return "imajin:diffusion:idempotency:" + key;
  }

  /** Writes the record alone. */
  Future<Void> save(GenerationJob job, long ttlMs) {
    return send(Request.cmd(Command.SET)
            .arg(recordKey(job.job().id()))
            .arg(Json.toJson(job).encode())
            .arg("PX")
            .arg(ttlMs))
        .mapEmpty();
  }

  /**
   * Appends an event (its id is left to Redis) and, when {@code job} is not null, writes the record
   * in the same step; both expire after {@code ttlMs}.
   *
   * @return the event's id
   */
  Future<String> append(JobEvent event, GenerationJob job, long ttlMs) {
    JsonObject body = Json.toJson(event);
    body.remove("id");
    return send(Request.cmd(Command.EVAL)
            .arg(APPEND)
            .arg(2)
            .arg(eventsKey(event.jobId()))
            .arg(recordKey(event.jobId()))
            .arg(body.encode())
            .arg(job == null ? "" : Json.toJson(job).encode())
            .arg(ttlMs)
            .arg(MAX_EVENTS))
        .map(Response::toString);
  }

  /** The record, or null when there is none (never created, or expired). */
  Future<GenerationJob> load(String jobId) {
    return send(Request.cmd(Command.GET).arg(recordKey(jobId)))
        .map(
            r ->
                r == null
                    ? null
                    : Json.fromJson(new JsonObject(r.toString()), GenerationJob.class));
  }

  /** Up to {@code count} events after the one with id {@code after} (from the first when null). */
  Future<List<JobEvent>> after(String jobId, String after, int count) {
    return send(Request.cmd(Command.XRANGE)
            .arg(eventsKey(jobId))
            .arg(after == null ? "-" : successor(after))
            .arg("+")
            .arg("COUNT")
            .arg(count))
        .map(
            r -> {
              List<JobEvent> events = new ArrayList<>();
              if (r != null) {
                for (Response entry : r) {
                  JsonObject body = new JsonObject(field(entry.get(1), "e"));
                  events.add(
                      Json.fromJson(body.put("id", entry.get(0).toString()), JobEvent.class));
                }
              }
              return events;
            });
  }

  /**
   * Claims an idempotency key for a job.
   *
   * @return null when the key is now this job's, else the id of the job that holds it
   */
  Future<String> claim(String key, String jobId, long ttlMs) {
    return send(Request.cmd(Command.SET)
            .arg(idempotencyKey(key))
            .arg(jobId)
            .arg("NX")
            .arg("PX")
            .arg(ttlMs))
        .compose(
            set ->
                set != null
                    ? Future.succeededFuture(null)
                    : send(Request.cmd(Command.GET).arg(idempotencyKey(key)))
                        .map(held -> held == null ? null : held.toString()));
  }

  /** Gives up a key this job claimed (it was refused before it started); another job's stays. */
  Future<Void> unclaim(String key, String jobId) {
    return send(Request.cmd(Command.EVAL)
            .arg(
                "if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end"
                    + " return 1")
            .arg(1)
            .arg(idempotencyKey(key))
            .arg(jobId))
        .mapEmpty();
  }

  /** Whether {@code id} is a stream id ({@code <ms>-<seq>}), as Last-Event-ID must be. */
  static boolean isEventId(String id) {
    return STREAM_ID.matcher(id).matches();
  }

  /** The smallest stream id after {@code id}. */
  static String successor(String id) {
    int dash = id.indexOf('-');
    long ms = Long.parseUnsignedLong(id.substring(0, dash));
    long seq = Long.parseUnsignedLong(id.substring(dash + 1));
    return seq == -1L
        ? Long.toUnsignedString(ms + 1) + "-0"
        : ms + "-" + Long.toUnsignedString(seq + 1);
  }

  private static String field(Response fields, String name) {
    for (int i = 0; i + 1 < fields.size(); i += 2) {
      if (name.equals(fields.get(i).toString())) {
        return fields.get(i + 1).toString();
      }
    }
    throw new IllegalStateException("a job event without its '" + name + "' field");
  }

  private Future<Response> send(Request request) {
    return redis
        .send(request)
        .timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .recover(
            e ->
                Future.failedFuture(
                    ImajinException.unavailable(
                        "diffusion", "the job store (Redis) failed: " + e.getMessage(), 1)));
  }
}
