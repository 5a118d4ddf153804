package dev.imajin.moderator.incidents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.imajin.contracts.ErrorType;
import dev.imajin.contracts.ImajinException;
import dev.imajin.contracts.common.FieldError;
import dev.imajin.contracts.common.Verdict;
import dev.imajin.contracts.moderator.Action;
import dev.imajin.contracts.moderator.FaceBox;
import dev.imajin.contracts.moderator.FaceFinding;
import dev.imajin.contracts.moderator.HashMatch;
import dev.imajin.contracts.moderator.Incident;
import dev.imajin.contracts.moderator.IncidentPage;
import dev.imajin.contracts.moderator.LabelScore;
import dev.imajin.contracts.moderator.Layer;
import dev.imajin.contracts.moderator.LayerResult;
import dev.imajin.contracts.moderator.ModerationCategory;
import dev.imajin.contracts.moderator.ModerationKind;
import dev.imajin.contracts.moderator.PdqHash;
import dev.imajin.contracts.moderator.Reason;
import dev.imajin.contracts.moderator.RequestContext;
import dev.imajin.contracts.moderator.RuleHit;
import dev.imajin.runtime.RedisClients;
import dev.imajin.runtime.testing.TestNodes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The incident log against a real Redis, one stream key per test. */
class IncidentLogTest {
  private static final Duration RETENTION = IncidentLog.DEFAULT_RETENTION;

  private Vertx vertx;
  private Redis redis;
  private String key;
  private IncidentLog log;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    redis = RedisClients.create(vertx, TestNodes.redis().url());
    key = "imajin:test:incidents:" + UUID.randomUUID();
    log = new IncidentLog(redis, key, RETENTION, Clock.systemUTC());
  }

  @AfterEach
  void tearDown() {
    redis.send(Request.cmd(Command.DEL).arg(key)).await();
    vertx.close().await();
  }

  static Incident incident(Verdict verdict, ModerationCategory... categories) {
    return new Incident(
        null,
        "dec_" + UUID.randomUUID(),
        Instant.parse("2026-11-22T10:16:01.123456Z"),
        ModerationKind.PROMPT,
        verdict,
        List.of(categories),
        List.of(),
        List.of(),
        "2026-11-01.1",
        null,
        null,
        null,
        null);
  }

  static Incident full() {
    return new Incident(
        "inc_ignored",
        "dec_01JD0QA5K6L7M8",
        Instant.parse("2026-11-22T10:16:01.123456789Z"),
        ModerationKind.IMAGE,
        Verdict.BLOCK,
        List.of(ModerationCategory.HATE, ModerationCategory.SEXUAL_MINORS),
        List.of(
            new Reason(
                Layer.PROHIBITED_CONTENT,
                "rule.hate.black_star",
                "hate.black_star",
                ModerationCategory.HATE,
                Action.BLOCK,
                null,
                null,
                "the prompt matches rule hate.black_star after normalisation"),
            new Reason(
                Layer.AGE_ESTIMATION,
                "age.minor",
                null,
                ModerationCategory.SEXUAL_MINORS,
                Action.BLOCK,
                0.91,
                0.5,
                null)),
        List.of(
            new LayerResult(
                Layer.PROHIBITED_CONTENT,
                LayerResult.Status.FLAGGED,
                true,
                null,
                null,
                null,
                null,
                List.of(
                    new RuleHit("hate.black_star", ModerationCategory.HATE, "black star", true)),
                null,
                null),
            new LayerResult(
                Layer.HASH_MATCH,
                LayerResult.Status.PASSED,
                true,
                null,
                null,
                List.of(
                    new HashMatch(
                        "bank-1", "ab".repeat(32), 12, "label", ModerationCategory.HATE, null)),
                null,
                null,
                null,
                null),
            new LayerResult(
                Layer.IMAGE_CLASSIFIER,
                LayerResult.Status.FLAGGED,
                false,
                "nsfw-1",
                null,
                null,
                List.of(new LabelScore("porn", 0.97, 0.8, ModerationCategory.SEXUAL, true)),
                null,
                null,
                null),
            new LayerResult(
                Layer.AGE_ESTIMATION,
                LayerResult.Status.FLAGGED,
                true,
                "age-1",
                null,
                null,
                null,
                null,
                null,
                List.of(
                    new FaceFinding(
                        new FaceBox(1, 2, 30, 40),
                        0.99,
                        "0-12",
                        0.91,
                        null,
                        FaceFinding.Consent.PROTECTED,
                        false,
                        0.42)))),
        "2026-11-01.1",
        new PdqHash("cd".repeat(32), 87, null),
        "req_01JD0Q7M4W2XK9",
        new RequestContext("req_01JD0Q7M4W2XK9", "job-1", 2, "user-42", RequestContext.Source.API),
        "a b1ack  s t a r on a red background");
  }

  static Incident withId(Incident i, String id) {
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

  private List<String> appendAll(List<Incident> incidents) {
    List<String> ids = new ArrayList<>();
    for (Incident i : incidents) {
      ids.add(log.append(i).await());
    }
    return ids;
  }

  private static List<String> ids(IncidentPage page) {
    return page.incidents().stream().map(Incident::id).toList();
  }

  private static List<String> reversed(List<String> ids) {
    List<String> r = new ArrayList<>(ids);
    java.util.Collections.reverse(r);
    return r;
  }

  private static long millis(String incidentId) {
    return Long.parseLong(incidentId.substring(4, incidentId.indexOf('-')));
  }

  /** The oldest {@code count} entries as Redis holds them. */
  private List<Response> rawEntries(int count) {
    List<Response> entries = new ArrayList<>();
    redis
        .send(Request.cmd(Command.XRANGE).arg(key).arg("-").arg("+").arg("COUNT").arg(count))
        .await()
        .forEach(entries::add);
    return entries;
  }

  private long length() {
    return redis.send(Request.cmd(Command.XLEN).arg(key)).await().toLong();
  }

  private static void assertValidation(Future<?> call, String pointer) {
    assertThatThrownBy(call::await)
        .isInstanceOfSatisfying(
            ImajinException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.errors()).extracting(FieldError::pointer).contains(pointer);
            });
  }

  private static void assertNotFound(Future<?> call, String id) {
    assertThatThrownBy(call::await)
        .isInstanceOfSatisfying(
            ImajinException.class,
            e -> {
              assertThat(e.type()).isEqualTo(ErrorType.NOT_FOUND);
              assertThat(e.status()).isEqualTo(404);
              assertThat(e.getMessage()).contains(String.valueOf(id));
            });
  }

  @Test
  @DisplayName("an appended incident reads back equal, with an id made of its stream entry id")
  void roundTrip() {
    Incident original = full();
    String id = log.append(original).await();

    assertThat(id).matches("inc_\\d+-\\d+").matches("^[A-Za-z0-9_-]{8,64}$");
    assertThat(millis(id)).isCloseTo(System.currentTimeMillis(), within(60_000L));
    Incident read = log.get(id).await();
    assertThat(read.id()).isEqualTo(id);
    assertThat(read).isEqualTo(withId(original, id));
    assertThat(log.append(incident(Verdict.REVIEW)).await()).isNotEqualTo(id);
  }

  @Test
  @DisplayName("an id never logged, or not of the form inc_<ms>-<seq>, is not found")
  void unknownIds() {
    log.append(incident(Verdict.BLOCK, ModerationCategory.HATE)).await();
    for (String id :
        List.of(
            "inc_1-0",
            "inc_1795000962000-0",
            "inc_abc",
            "nope",
            "1795000962000-0",
            "inc_1795000962000",
            "inc_1795000962000-0x",
            "inc_99999999999999999999-0",
            "inc_-1-0")) {
      assertNotFound(log.get(id), id);
    }
    assertNotFound(log.get(null), "null");
  }

  @Test
  @DisplayName("a listing is newest first and reports the retention in days")
  void newestFirst() {
    List<String> ids =
        appendAll(
            List.of(
                incident(Verdict.BLOCK, ModerationCategory.HATE),
                incident(Verdict.REVIEW, ModerationCategory.SEXUAL),
                incident(Verdict.BLOCK, ModerationCategory.VIOLENCE),
                incident(Verdict.REVIEW),
                incident(Verdict.BLOCK, ModerationCategory.ILLICIT)));

    IncidentPage page = log.list(null, null, null, null, 50, null).await();

    assertThat(ids(page)).containsExactlyElementsOf(reversed(ids));
    assertThat(page.nextCursor()).isNull();
    assertThat(page.retentionDays()).isEqualTo(365);
    assertThat(page.incidents().get(4).categories()).containsExactly(ModerationCategory.HATE);
  }

  @Test
  @DisplayName("since is inclusive and until exclusive, both on the stream entry's milliseconds")
  void timeBounds() throws InterruptedException {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(log.append(incident(Verdict.BLOCK, ModerationCategory.HATE)).await());
      Thread.sleep(3);
    }
    for (int i = 1; i < ids.size(); i++) {
      assertThat(millis(ids.get(i))).isGreaterThan(millis(ids.get(i - 1)));
    }
    Instant t1 = Instant.ofEpochMilli(millis(ids.get(1)));
    Instant t3 = Instant.ofEpochMilli(millis(ids.get(3)));

    assertThat(ids(log.list(t1, t3, null, null, 50, null).await()))
        .containsExactly(ids.get(2), ids.get(1));
    assertThat(ids(log.list(t1, null, null, null, 50, null).await()))
        .containsExactly(ids.get(4), ids.get(3), ids.get(2), ids.get(1));
    assertThat(ids(log.list(null, t3, null, null, 50, null).await()))
        .containsExactly(ids.get(2), ids.get(1), ids.get(0));
    assertThat(ids(log.list(t1.plusNanos(1), t3.plusNanos(1), null, null, 50, null).await()))
        .as("a bound inside a millisecond: since excludes it, until includes it")
        .containsExactly(ids.get(3), ids.get(2));
    assertThat(log.list(t1, t1, null, null, 50, null).await().incidents()).isEmpty();
    assertThat(log.list(null, Instant.EPOCH, null, null, 50, null).await().incidents()).isEmpty();
    assertThat(
            ids(
                log.list(Instant.parse("1960-01-01T00:00:00Z"), null, null, null, 50, null)
                    .await()))
        .hasSize(5);
    assertValidation(log.list(t3, t1, null, null, 50, null), "/since");
  }

  @Test
  @DisplayName("a category filter keeps incidents with any of its categories")
  void categoryFilter() {
    List<String> ids =
        appendAll(
            List.of(
                incident(Verdict.BLOCK, ModerationCategory.HATE),
                incident(Verdict.BLOCK, ModerationCategory.SEXUAL),
                incident(Verdict.REVIEW, ModerationCategory.VIOLENCE, ModerationCategory.SELF_HARM),
                incident(Verdict.REVIEW),
                incident(Verdict.BLOCK, ModerationCategory.SEXUAL_MINORS),
                incident(Verdict.BLOCK, ModerationCategory.SELF_HARM_INTENT)));

    Set<ModerationCategory> wanted =
        Set.of(ModerationCategory.SELF_HARM, ModerationCategory.SEXUAL);
    assertThat(ids(log.list(null, null, wanted, null, 50, null).await()))
        .containsExactly(ids.get(2), ids.get(1));
    assertThat(
            ids(
                log.list(null, null, Set.of(ModerationCategory.SEXUAL_MINORS), null, 50, null)
                    .await()))
        .containsExactly(ids.get(4));
    assertThat(ids(log.list(null, null, Set.of(), null, 50, null).await())).hasSize(6);
    assertThat(ids(log.list(null, null, null, null, 50, null).await())).hasSize(6);
    assertThat(
            log.list(null, null, Set.of(ModerationCategory.PRIVACY_LIKENESS), null, 50, null)
                .await()
                .incidents())
        .isEmpty();
  }

  @Test
  @DisplayName(
      "a verdict filter keeps that verdict, alone or with categories; other verdicts are refused")
  void verdictFilter() {
    List<String> ids =
        appendAll(
            List.of(
                incident(Verdict.BLOCK, ModerationCategory.HATE),
                incident(Verdict.REVIEW, ModerationCategory.HATE),
                incident(Verdict.REVIEW, ModerationCategory.SEXUAL),
                incident(Verdict.BLOCK, ModerationCategory.SEXUAL)));

    assertThat(ids(log.list(null, null, null, "review", 50, null).await()))
        .containsExactly(ids.get(2), ids.get(1));
    assertThat(ids(log.list(null, null, null, "block", 50, null).await()))
        .containsExactly(ids.get(3), ids.get(0));
    assertThat(
            ids(log.list(null, null, Set.of(ModerationCategory.HATE), "review", 50, null).await()))
        .containsExactly(ids.get(1));
    assertValidation(log.list(null, null, null, "allow", 50, null), "/verdict");
    assertThatThrownBy(() -> log.append(incident(Verdict.ALLOW)).await())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("25 incidents by 10 come as pages of 10, 10 and 5, the last without a cursor")
  void pagination() {
    List<Incident> incidents = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      incidents.add(
          incident(i % 2 == 0 ? Verdict.BLOCK : Verdict.REVIEW, ModerationCategory.VIOLENCE));
    }
    List<String> ids = appendAll(incidents);

    List<String> seen = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    String cursor = null;
    do {
      IncidentPage page = log.list(null, null, null, null, 10, cursor).await();
      sizes.add(page.incidents().size());
      seen.addAll(ids(page));
      cursor = page.nextCursor();
      if (cursor != null) {
        assertThat(cursor).matches("^[A-Za-z0-9_-]{1,128}$");
      }
    } while (cursor != null);
    assertThat(sizes).containsExactly(10, 10, 5);
    assertThat(seen).containsExactlyElementsOf(reversed(ids));

    // filtered: 13 blocks by 5
    List<String> blocks = new ArrayList<>();
    sizes.clear();
    cursor = null;
    do {
      IncidentPage page = log.list(null, null, null, "block", 5, cursor).await();
      sizes.add(page.incidents().size());
      blocks.addAll(ids(page));
      cursor = page.nextCursor();
    } while (cursor != null);
    assertThat(sizes).containsExactly(5, 5, 3);
    assertThat(blocks).hasSize(13).doesNotHaveDuplicates();

    // exactly a page left: the page that takes it says there is no more
    IncidentPage first = log.list(null, null, null, null, 15, null).await();
    IncidentPage second = log.list(null, null, null, null, 10, first.nextCursor()).await();
    assertThat(second.incidents()).hasSize(10);
    assertThat(second.nextCursor()).isNull();
  }

  @Test
  @DisplayName("a malformed cursor or an out-of-range limit is a validation error pointing at it")
  void malformedCursor() {
    log.append(incident(Verdict.BLOCK, ModerationCategory.HATE)).await();
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    for (String cursor :
        List.of(
            "",
            "!!",
            "abc",
            "a",
            "x".repeat(129),
            b64.encodeToString("hello".getBytes(StandardCharsets.US_ASCII)),
            b64.encodeToString("12-".getBytes(StandardCharsets.US_ASCII)),
            b64.encodeToString("99999999999999999999-0".getBytes(StandardCharsets.US_ASCII)))) {
      assertValidation(log.list(null, null, null, null, 10, cursor), "/cursor");
    }
    assertValidation(log.list(null, null, null, null, 0, null), "/limit");
    assertValidation(log.list(null, null, null, null, 501, null), "/limit");
    String valid = b64.encodeToString("1-0".getBytes(StandardCharsets.US_ASCII));
    assertThat(log.list(null, null, null, null, 500, valid).await().incidents()).isEmpty();
  }

  @Test
  @DisplayName("trim() removes incidents past the retention, as seen from the log's clock")
  void trimByRetention() {
    List<String> ids =
        appendAll(
            List.of(
                incident(Verdict.BLOCK, ModerationCategory.HATE),
                incident(Verdict.REVIEW, ModerationCategory.SEXUAL),
                incident(Verdict.BLOCK)));
    assertThat(log.trim().await()).isZero();
    assertThat(length()).isEqualTo(3);

    Clock later = Clock.offset(Clock.systemUTC(), RETENTION.plusDays(1));
    IncidentLog future = new IncidentLog(redis, key, RETENTION, later);
    assertThat(future.trim().await()).isEqualTo(3);

    assertThat(length()).isZero();
    for (String id : ids) {
      assertNotFound(future.get(id), id);
    }
    assertThat(future.list(null, null, null, null, 50, null).await().incidents()).isEmpty();
  }

  @Test
  @DisplayName("an append trims entries past the retention in the same command")
  void appendTrims() throws InterruptedException {
    List<Future<String>> appends = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      appends.add(log.append(incident(Verdict.REVIEW, ModerationCategory.HATE)));
    }
    Future.all(appends).await();
    String oldest = rawEntries(1).get(0).get(0).toString();
    long lastOld =
        millis(log.list(null, null, null, null, 1, null).await().incidents().get(0).id());
    Thread.sleep(10);

    Instant cut = Instant.ofEpochMilli(lastOld + 1);
    IncidentLog future =
        new IncidentLog(redis, key, RETENTION, Clock.fixed(cut.plus(RETENTION), ZoneOffset.UTC));
    String fresh = future.append(incident(Verdict.BLOCK, ModerationCategory.SEXUAL)).await();

    assertThat(future.get(fresh).await().verdict()).isEqualTo(Verdict.BLOCK);
    assertNotFound(future.get("inc_" + oldest), "inc_" + oldest);
    assertThat(length()).isLessThan(151);
  }

  @Test
  @DisplayName("incidents outlive the log and client that wrote them")
  void durableAcrossInstances() {
    Incident original = full();
    String id = log.append(original).await();

    Vertx other = Vertx.vertx();
    try {
      Redis otherRedis = RedisClients.create(other, TestNodes.redis().url());
      IncidentLog reopened = new IncidentLog(otherRedis, key, RETENTION, Clock.systemUTC());
      assertThat(reopened.get(id).await()).isEqualTo(withId(original, id));
      assertThat(ids(reopened.list(null, null, null, null, 10, null).await())).containsExactly(id);
    } finally {
      other.close().await();
    }
  }

  @Test
  @DisplayName(
      "an entry holds the verdict, the categories and the incident's JSON, never image bytes")
  void storedLayout() {
    log.append(full()).await();

    List<Response> entries = rawEntries(10);
    assertThat(entries).hasSize(1);
    Response fields = entries.get(0).get(1);
    Map<String, String> m = new HashMap<>();
    for (String k : fields.getKeys()) {
      m.put(k, fields.get(k).toString());
    }
    assertThat(m).containsOnlyKeys("verdict", "categories", "incident");
    assertThat(m)
        .containsEntry("verdict", "block")
        .containsEntry("categories", "hate,sexual/minors");
    assertThat(m.get("incident"))
        .startsWith("{")
        .doesNotContain("\"id\"")
        .doesNotContain("b64")
        .contains("\"decision_id\":\"dec_01JD0QA5K6L7M8\"");
  }

  @Test
  @DisplayName("one listing examines a bounded number of entries, then hands back a cursor")
  void boundedWork() {
    String block = log.append(incident(Verdict.BLOCK, ModerationCategory.HATE)).await();
    redis
        .send(
            Request.cmd(Command.EVAL)
                .arg(
                    "for i = 1, tonumber(ARGV[1]) do redis.call('XADD', KEYS[1], '*', 'verdict',"
                        + " 'review', 'categories', 'hate', 'incident', '{}') end")
                .arg(1)
                .arg(key)
                .arg(IncidentLog.MAX_EXAMINED + 50))
        .await();

    IncidentPage first = log.list(null, null, null, "block", 10, null).await();
    assertThat(first.incidents()).isEmpty();
    assertThat(first.nextCursor()).isNotNull();
    IncidentPage second = log.list(null, null, null, "block", 10, first.nextCursor()).await();
    assertThat(ids(second)).containsExactly(block);
    assertThat(second.nextCursor()).isNull();

    // the filler entries are unreadable: a listing skips them, a get says so
    IncidentPage unfiltered = log.list(null, null, null, null, 5, null).await();
    assertThat(unfiltered.incidents()).isEmpty();
    assertThat(unfiltered.nextCursor()).isNotNull();
    String filler = "inc_" + rawEntries(2).get(1).get(0).toString();
    assertThatThrownBy(() -> log.get(filler).await())
        .isInstanceOfSatisfying(ImajinException.class, e -> assertThat(e.status()).isEqualTo(500));
  }
}
