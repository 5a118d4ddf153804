package dev.imajin.moderator.incidents;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.imajin.contracts.ImajinException;
import dev.imajin.contracts.Json;
import dev.imajin.contracts.common.Verdict;
import dev.imajin.contracts.moderator.Incident;
import dev.imajin.contracts.moderator.IncidentPage;
import dev.imajin.contracts.moderator.ModerationCategory;
import dev.imajin.runtime.RedisClients;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The moderator's incident log: every {@code block} and {@code review} decision, one entry each of
 * a Redis stream. An entry holds three fields:
 *
 * <ul>
 *   <li>{@code verdict}: {@code block} or {@code review};
 *   <li>{@code categories}: the incident's categories by their contract names, comma-joined ({@code
 *       ""} for none);
 *   <li>{@code incident}: the {@link Incident} as contract JSON without its {@code id}.
 * </ul>
 *
 * <p>An incident's id is {@code inc_} followed by its stream entry id ({@code
 * inc_1795000962000-0}). Redis gives entry ids from its own clock (and never lets them go
 * backwards, even when that clock does), so the entry id, not the incident's {@code at}, places an
 * incident in time: {@link #list}'s {@code since} and {@code until} compare with the milliseconds
 * of the entry id.
 *
 * <p>A listing reads the stream newest first ({@code XREVRANGE}) in batches of {@value #BATCH},
 * filters on the small fields before parsing any JSON, and examines at most {@value #MAX_EXAMINED}
 * entries per call. Its cursor is the base64url of the last entry id it examined. Entries it cannot
 * read are skipped with one warning per call; {@link #get} fails on them with an internal error.
 *
 * <p>Durability: an append is acknowledged once Redis has accepted the {@code XADD}; whether it
 * survives a Redis crash is the server's persistence (AOF fsync policy) and, with replicas, may be
 * lost in a failover. Retention: each append trims entries older than the retention in the same
 * command, and {@link #trim()} does the same for quiet periods. Both trim approximately ({@code
 * MINID ~}): Redis drops only whole internal nodes, so entries may outlive the retention a little,
 * never the other way. The cut-off is this log's clock minus the retention, so the clock should
 * agree with Redis's.
 *
 * <p>Incidents hold no image bytes: the contract's record has no field for them. Redis failures
 * fail the returned futures as the client reports them. Thread-safe.
 */
public final class IncidentLog {
  public static final String DEFAULT_STREAM_KEY = "imajin:moderator:incidents";
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(365);
  static final String VERDICT = "verdict";
  static final String CATEGORIES = "categories";
  static final String INCIDENT = "incident";
  static final int MAX_LIMIT = 500;
  static final int BATCH = 256;
  static final int MAX_EXAMINED = 10_000;

  private static final Logger LOG = LoggerFactory.getLogger(IncidentLog.class);
  private static final String ID_PREFIX = "inc_";

  private final Redis redis;
  private final String streamKey;
  private final Duration retention;
  private final Clock clock;

  /**
   * @param retention how long incidents are kept; at least one day
   * @param clock the clock the retention cut-off is taken from
   */
  public IncidentLog(Redis redis, String streamKey, Duration retention, Clock clock) {
    this.redis = Objects.requireNonNull(redis, "redis");
    this.streamKey = Objects.requireNonNull(streamKey, "streamKey");
    this.retention = Objects.requireNonNull(retention, "retention");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (streamKey.isBlank()) {
      throw new IllegalArgumentException("the stream key is blank");
    }
    if (retention.toDays() < 1) {
      throw new IllegalArgumentException("the retention is under one day: " + retention);
    }
  }

  /** The retention in whole days, as incident pages report it. */
  public int retentionDays() {
    return (int) Math.min(Integer.MAX_VALUE, retention.toDays());
  }

  /**
   * Appends an incident (its {@code id} is ignored) and trims entries past the retention. Returns
   * the new incident's id. Fails with {@link IllegalArgumentException} when the verdict is neither
   * {@code block} nor {@code review}.
   */
  public Future<String> append(Incident incident) {
    if (incident.verdict() != Verdict.BLOCK && incident.verdict() != Verdict.REVIEW) {
      return Future.failedFuture(
          new IllegalArgumentException("an incident's verdict is block or review"));
    }
    String json;
    try {
      json = Json.mapper().writeValueAsString(withId(incident, null));
    } catch (JsonProcessingException e) {
      return Future.failedFuture(ImajinException.internal("the incident is not writable", e));
    }
    Request xadd =
        Request.cmd(Command.XADD)
            .arg(streamKey)
            .arg("MINID")
            .arg("~")
            .arg(minId())
            .arg("*")
            .arg(VERDICT)
            .arg(verdictName(incident.verdict()))
            .arg(CATEGORIES)
            .arg(
                incident.categories().stream()
                    .map(IncidentQuery::name)
                    .collect(Collectors.joining(",")))
            .arg(INCIDENT)
            .arg(json);
    return redis.send(xadd).map(r -> ID_PREFIX + r.toString());
  }

  /** The incident, or a not-found {@link ImajinException} when there is none of that id. */
  public Future<Incident> get(String incidentId) {
    StreamId id =
        incidentId != null && incidentId.startsWith(ID_PREFIX)
            ? StreamId.parse(incidentId.substring(ID_PREFIX.length()))
            : null;
    if (id == null) {
      return Future.failedFuture(ImajinException.notFound("incident", incidentId));
    }
    return redis
        .send(Request.cmd(Command.XRANGE).arg(streamKey).arg(id.toString()).arg(id.toString()))
        .compose(
            r -> {
              if (r == null || r.size() == 0) {
                return Future.failedFuture(ImajinException.notFound("incident", incidentId));
              }
              try {
                return Future.succeededFuture(
                    read(id.toString(), RedisClients.fields(r.get(0).get(1))));
              } catch (IllegalArgumentException e) {
                return Future.failedFuture(
                    ImajinException.internal("incident '" + incidentId + "' is unreadable", e));
              }
            });
  }

  /**
   * One page of incidents, newest first.
   *
   * @param since only incidents logged at or after this time; null for no bound
   * @param until only incidents logged before this time; null for no bound
   * @param categories only incidents with at least one of these; null or empty for all
   * @param verdict {@code block}, {@code review} or null for both
   * @param limit at most this many incidents, 1 to {@value #MAX_LIMIT}
   * @param cursor the {@code next_cursor} of the previous page, or null for the first
   * @return a page whose {@code next_cursor} is absent when no more incidents match. One call
   *     examines at most {@value #MAX_EXAMINED} entries, so with a narrow filter a page may hold
   *     fewer than {@code limit} incidents, even none, and still have a cursor.
   */
  public Future<IncidentPage> list(
      Instant since,
      Instant until,
      Set<ModerationCategory> categories,
      String verdict,
      int limit,
      String cursor) {
    IncidentQuery query;
    try {
      query = IncidentQuery.of(since, until, categories, verdict, limit, cursor);
    } catch (ImajinException e) {
      return Future.failedFuture(e);
    }
    if (query.empty()) {
      return Future.succeededFuture(new IncidentPage(List.of(), null, retentionDays()));
    }
    return scan(new Scan(query), query.end());
  }

  /** Removes entries past the retention (approximately, see above); returns how many. */
  public Future<Long> trim() {
    return redis
        .send(Request.cmd(Command.XTRIM).arg(streamKey).arg("MINID").arg("~").arg(minId()))
        .map(Response::toLong);
  }

  private long minId() {
    return Math.max(0, clock.millis() - retention.toMillis());
  }

  /** What one listing has found and examined so far. */
  private static final class Scan {
    final IncidentQuery query;
    final List<Incident> found = new ArrayList<>();
    int examined;
    int unreadable;
    String firstUnreadable;

    Scan(IncidentQuery query) {
      this.query = query;
    }
  }

  private Future<IncidentPage> scan(Scan s, String end) {
    int first = s.examined == 0 ? Math.min(BATCH, s.query.limit() + 1) : BATCH;
    int count = Math.min(first, MAX_EXAMINED - s.examined);
    Request xrevrange =
        Request.cmd(Command.XREVRANGE)
            .arg(streamKey)
            .arg(end)
            .arg(s.query.start())
            .arg("COUNT")
            .arg(count);
    return redis
        .send(xrevrange)
        .compose(
            r -> {
              int n = r == null ? 0 : r.size();
              String last = null;
              for (int i = 0; i < n; i++) {
                String id = r.get(i).get(0).toString();
                Map<String, String> f = RedisClients.fields(r.get(i).get(1));
                if (s.query.matches(f)) {
                  if (s.found.size() == s.query.limit()) {
                    return page(s, last);
                  }
                  add(s, id, f);
                }
                last = id;
              }
              s.examined += n;
              if (n < count) {
                return page(s, null);
              }
              if (s.found.size() == s.query.limit() || s.examined >= MAX_EXAMINED) {
                return page(s, last);
              }
              return scan(s, "(" + last);
            });
  }

  private void add(Scan s, String id, Map<String, String> fields) {
    try {
      s.found.add(read(id, fields));
    } catch (IllegalArgumentException e) {
      if (s.unreadable++ == 0) {
        s.firstUnreadable = id + " (" + e.getMessage() + ")";
      }
    }
  }

  private Future<IncidentPage> page(Scan s, String lastExamined) {
    if (s.unreadable > 0) {
      LOG.warn(
          "skipped {} unreadable entries of {}, the first {}",
          s.unreadable,
          streamKey,
          s.firstUnreadable);
    }
    String next = lastExamined == null ? null : IncidentQuery.cursor(lastExamined);
    return Future.succeededFuture(new IncidentPage(s.found, next, retentionDays()));
  }

  /** The incident an entry holds; {@link IllegalArgumentException} when it holds none. */
  private static Incident read(String streamId, Map<String, String> fields) {
    String json = fields.get(INCIDENT);
    if (json == null) {
      throw new IllegalArgumentException("no " + INCIDENT + " field");
    }
    try {
      return withId(Json.mapper().readValue(json, Incident.class), ID_PREFIX + streamId);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e.getOriginalMessage(), e);
    }
  }

  private static Incident withId(Incident i, String id) {
    return new Incident(
        id,
        i.decisionId(),
        i.at(),
        i.kind(),
        i.verdict(),
        i.categories(),
        i.reasons(),
        i.layers(),
        i.policyVersion(),
        i.pdq(),
        i.requestId(),
        i.context(),
        i.prompt());
  }

  private static String verdictName(Verdict v) {
    return v == Verdict.BLOCK ? "block" : "review";
  }
}
