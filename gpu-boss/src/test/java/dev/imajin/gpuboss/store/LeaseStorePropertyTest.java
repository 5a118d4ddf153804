package dev.imajin.gpuboss.store;

import static dev.imajin.gpuboss.store.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imajin.runtime.testing.TestNodes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

/**
 * Test 1 of RELIABILITY.md section 7: random acquire, renew, release, abort, snapshot and "let time
 * pass" steps over three devices, run against the real Lua scripts with an in-memory model
 * alongside. After every step the Redis keys are read directly (HGETALL, ZRANGE) and checked
 * against the invariants and the model.
 *
 * <p>The model decides expiry with the server clock that each script reports ({@code nowMs}), so
 * its expectations are exact: a lease is live at a call iff {@code now < expires}. Separately, the
 * client's own clock checks that the server honours the TTLs: a lease must still be live when less
 * than {@code ttl - 50 ms} passed on the client since the call that set its expiry was sent, and
 * gone when more than {@code ttl + 50 ms} passed since its answer arrived.
 */
class LeaseStorePropertyTest {
  static final long CLOCK_MARGIN_MS = 50;
  private static final Map<String, LongAdder> COVERAGE = new ConcurrentSkipListMap<>();
  private static volatile boolean failed;
  private static Vertx vertx;
  private static Redis redis;

  @BeforeContainer
  static void start() {
    vertx = Vertx.vertx();
    redis = Redis.createClient(vertx, TestNodes.redis().url());
  }

  @AfterContainer
  static void stop() {
    await(vertx.close());
    System.out.println("lease property coverage: " + COVERAGE);
    if (failed) {
      return;
    }
    for (String needed :
        List.of(
            "acquire granted",
            "acquire existing",
            "acquire full",
            "renew OK",
            "renew STALE",
            "renew GONE after expiry",
            "release OK",
            "release STALE",
            "release GONE after release",
            "release GONE after expiry",
            "abort OK")) {
      assertTrue(
          COVERAGE.containsKey(needed) && COVERAGE.get(needed).sum() >= 3,
          "the chains rarely reached '" + needed + "': " + COVERAGE);
    }
  }

  static void count(String what) {
    COVERAGE.computeIfAbsent(what, k -> new LongAdder()).increment();
  }

  @Property(tries = 200, shrinking = ShrinkingMode.BOUNDED)
  void theScriptsAgreeWithTheModelAfterEveryStep(@ForAll("chains") ActionChain<World> chain) {
    try {
      chain.withInvariant("redis keys", World::checkRedis).run();
    } catch (Throwable failure) {
      failed = true;
      throw failure;
    }
  }

  @Provide
  Arbitrary<ActionChain<World>> chains() {
    return ActionChain.<World>startWith(() -> new World(redis))
        .withAction(5, acquire())
        .withAction(3, renew())
        .withAction(3, release())
        .withAction(1, abort())
        .withAction(1, snapshot())
        .withAction(2, letTimePass())
        .withMaxTransformations(10);
  }

  /** TTLs short enough that leases expire within a chain of a few hundred milliseconds. */
  private static Arbitrary<Integer> ttls() {
    return Arbitraries.frequencyOf(
        Tuple.of(7, Arbitraries.integers().between(30, 50)),
        Tuple.of(2, Arbitraries.integers().between(51, 150)),
        Tuple.of(1, Arbitraries.integers().between(151, 300)));
  }

  private static Arbitrary<Integer> devices() {
    return Arbitraries.integers().between(0, World.DEVICES.size() - 1);
  }

  /** Which lease a call names: one of the live ones, or any ever granted (released, expired). */
  private static Arbitrary<Target> targets() {
    return Combinators.combine(Arbitraries.of(true, false), Arbitraries.integers().between(0, 31))
        .as(Target::new);
  }

  private static Action.Independent<World> acquire() {
    Arbitrary<Integer> reuse =
        Arbitraries.frequencyOf(
            Tuple.of(7, Arbitraries.just(-1)), Tuple.of(3, Arbitraries.integers().between(0, 31)));
    Arbitrary<String> keys = Arbitraries.of("k0", "k1", "k2").injectNull(0.7);
    return () ->
        Combinators.combine(
                devices(),
                Arbitraries.integers().between(1, 1_500),
                ttls(),
                reuse,
                keys,
                Arbitraries.of(true, false))
            .as(
                (device, permille, ttl, reused, key, resident) ->
                    Transformer.mutate(
                        String.format(
                            "acquire(dev %d, %d/1000 of usable, ttl %d, id %s, key %s, resident %b)",
                            device,
                            permille,
                            ttl,
                            reused < 0 ? "fresh" : "#" + reused,
                            key,
                            resident),
                        world -> world.acquire(device, permille, ttl, reused, key, resident)));
  }

  private static Action.Independent<World> renew() {
    Arbitrary<Integer> ttls = ttls().injectNull(0.5);
    Arbitrary<Boolean> busy = Arbitraries.of(true, false).injectNull(0.4);
    return () ->
        Combinators.combine(devices(), targets(), Arbitraries.of(true, true, false), ttls, busy)
            .as(
                (device, target, rightToken, ttl, isBusy) ->
                    Transformer.mutate(
                        String.format(
                            "renew(dev %d, %s, %s token, ttl %s, busy %s)",
                            device, target, rightToken ? "right" : "wrong", ttl, isBusy),
                        world -> world.renew(device, target, rightToken, ttl, isBusy)));
  }

  private static Action.Independent<World> release() {
    return () ->
        Combinators.combine(devices(), targets(), Arbitraries.of(true, true, false))
            .as(
                (device, target, rightToken) ->
                    Transformer.mutate(
                        String.format(
                            "release(dev %d, %s, %s token)",
                            device, target, rightToken ? "right" : "wrong"),
                        world -> world.release(device, target, rightToken)));
  }

  private static Action.Independent<World> abort() {
    return () ->
        Combinators.combine(devices(), targets())
            .as(
                (device, target) ->
                    Transformer.mutate(
                        "abort(dev " + device + ", " + target + ")",
                        world -> world.abort(device, target)));
  }

  private static Action.Independent<World> snapshot() {
    return () ->
        devices()
            .map(
                device ->
                    Transformer.mutate(
                        "snapshot(dev " + device + ")", world -> world.snapshot(device)));
  }

  private static Action.Independent<World> letTimePass() {
    return () ->
        Arbitraries.integers()
            .between(15, 50)
            .map(ms -> Transformer.mutate("sleep " + ms + " ms", world -> sleep(ms)));
  }

  private static void sleep(long ms) {
    try {
      TimeUnit.MILLISECONDS.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Picks a lease by index among the live ones ({@code live}) or among every grant so far. */
  record Target(boolean live, int index) {
    @Override
    public String toString() {
      return (live ? "live #" : "any #") + index;
    }
  }

  record DeviceSpec(String name, long capacity, long reserve) {}

  /** A lease id with the fencing token one of its grants carried. */
  record Handle(String id, long token) {}

  /** One lease as the model believes it is; times are the server's clock, nanos the client's. */
  static final class ModelLease {
    final String id;
    final long bytes;
    final long token;
    final long grantedAt;
    final boolean resident;
    final String idem;
    int ttl;
    long expires;
    boolean busy;
    long usedAt;
    long liveUntilNanos;
    long deadAfterNanos;

    ModelLease(
        String id, long bytes, long token, long now, int ttl, boolean resident, String idem) {
      this.id = id;
      this.bytes = bytes;
      this.token = token;
      this.grantedAt = now;
      this.resident = resident;
      this.idem = idem;
      this.ttl = ttl;
      this.expires = now + ttl;
      this.usedAt = now;
    }

    void expiresAfter(long sentNanos, long answeredNanos) {
      liveUntilNanos = sentNanos + TimeUnit.MILLISECONDS.toNanos(ttl - CLOCK_MARGIN_MS);
      deadAfterNanos = answeredNanos + TimeUnit.MILLISECONDS.toNanos(ttl + CLOCK_MARGIN_MS);
    }

    void assertSameAs(StoredLease actual, String device) {
      String what = "lease " + id + " on " + device;
      assertEquals(id, actual.leaseId(), what);
      assertEquals(bytes, actual.bytes(), what + " bytes");
      assertEquals(token, actual.fencingToken(), what + " token");
      assertEquals(grantedAt, actual.grantedAtMs(), what + " granted at");
      assertEquals(expires, actual.expiresAtMs(), what + " expires at");
      assertEquals(ttl, actual.ttlMs(), what + " ttl");
      assertEquals(resident, actual.resident(), what + " resident");
      assertEquals(busy, actual.busy(), what + " busy");
      assertEquals(usedAt, actual.usedAtMs(), what + " used at");
      assertEquals(idem, actual.idempotencyKey(), what + " idempotency key");
    }
  }

  /** One device as the model believes it is. */
  static final class DeviceModel {
    final String name;
    final long capacity;
    final long reserve;
    final Map<String, ModelLease> live = new LinkedHashMap<>();
    final Map<String, String> idem = new HashMap<>();
    final List<Handle> handles = new ArrayList<>();
    final Map<Handle, String> fates = new HashMap<>();
    long lastToken;

    DeviceModel(String name, long capacity, long reserve) {
      this.name = name;
      this.capacity = capacity;
      this.reserve = reserve;
    }

    long usable() {
      return capacity - reserve;
    }

    long used() {
      return live.values().stream().mapToLong(l -> l.bytes).sum();
    }

    long earliestExpiry() {
      return live.values().stream().mapToLong(l -> l.expires).min().orElse(-1);
    }

    Handle pick(Target target) {
      if (target.live() && !live.isEmpty()) {
        ModelLease lease = new ArrayList<>(live.values()).get(target.index() % live.size());
        return new Handle(lease.id, lease.token);
      }
      if (handles.isEmpty()) {
        return new Handle("lse_never_granted", lastToken);
      }
      return handles.get(target.index() % handles.size());
    }

    /** What the scripts do first at server time {@code now}: drop leases with expires <= now. */
    Set<String> reclaim(long now) {
      Set<String> gone = new TreeSet<>();
      live.values()
          .removeIf(
              lease -> {
                if (lease.expires > now) {
                  return false;
                }
                gone.add(lease.id);
                fates.put(new Handle(lease.id, lease.token), "expiry");
                forgetKey(lease);
                return true;
              });
      return gone;
    }

    void remove(ModelLease lease) {
      fates.put(new Handle(lease.id, lease.token), "release");
      live.remove(lease.id);
      forgetKey(lease);
    }

    private void forgetKey(ModelLease lease) {
      if (lease.idem != null) {
        idem.remove(lease.idem, lease.id);
      }
    }

    /**
     * The client's clock against the server's: at server time {@code now} (a call sent at {@code
     * sent}, answered at {@code answered}) every lease the client knows is certainly live must be
     * live, and every lease certainly past its TTL must be expired.
     */
    void assertClocksAgree(long now, long sent, long answered) {
      for (ModelLease lease : live.values()) {
        String times =
            String.format(
                "%s (server %d, expiry %d, ttl %d ms)", lease.id, now, lease.expires, lease.ttl);
        if (answered < lease.liveUntilNanos) {
          assertTrue(now < lease.expires, times + " expired before its TTL passed on the client");
        }
        if (sent > lease.deadAfterNanos) {
          assertTrue(now >= lease.expires, times + " lives after its TTL passed on the client");
        }
      }
    }
  }

  /**
   * A device's keys as Redis holds them, read with plain commands (no script, so no reclaim).
   *
   * @param leases lease id to its JSON
   * @param expiry lease id to its score in the expiry set
   * @param idem idempotency key to lease id
   */
  record RawDevice(
      long capacity,
      long reserve,
      long used,
      long token,
      Map<String, JsonObject> leases,
      Map<String, Long> expiry,
      Map<String, String> idem) {

    static Future<List<RawDevice>> read(Redis redis, LeaseStore store, List<String> devices) {
      List<Request> requests = new ArrayList<>();
      for (String device : devices) {
        List<String> keys = store.keys(device);
        requests.add(Request.cmd(Command.HGETALL).arg(keys.get(0)));
        requests.add(Request.cmd(Command.HGETALL).arg(keys.get(1)));
        requests.add(Request.cmd(Command.ZRANGE).arg(keys.get(2)).arg(0).arg(-1).arg("WITHSCORES"));
        requests.add(Request.cmd(Command.HGETALL).arg(keys.get(3)));
      }
      return redis
          .batch(requests)
          .map(
              answers -> {
                List<RawDevice> raw = new ArrayList<>();
                for (int i = 0; i < answers.size(); i += 4) {
                  raw.add(of(answers.subList(i, i + 4)));
                }
                return raw;
              });
    }

    private static RawDevice of(List<Response> answers) {
      Map<String, String> state = hash(answers.get(0));
      Map<String, JsonObject> leases = new TreeMap<>();
      hash(answers.get(1)).forEach((id, json) -> leases.put(id, new JsonObject(json)));
      return new RawDevice(
          number(state.get("cap")),
          number(state.get("reserve")),
          number(state.get("used")),
          number(state.get("token")),
          leases,
          zset(answers.get(2)),
          hash(answers.get(3)));
    }

    static long leaseLong(JsonObject lease, String field) {
      return Long.parseLong(String.valueOf(lease.getValue(field)));
    }

    long leasedBytes() {
      return leases.values().stream().mapToLong(l -> leaseLong(l, "bytes")).sum();
    }

    /** This state less what reclaiming at server time {@code now} removes. */
    RawDevice reclaimedAt(long now) {
      Map<String, JsonObject> kept = new TreeMap<>(leases);
      kept.values().removeIf(l -> leaseLong(l, "expires") <= now);
      Map<String, Long> keptExpiry = new TreeMap<>(expiry);
      keptExpiry.values().removeIf(score -> score <= now);
      Map<String, String> keptKeys = new TreeMap<>(idem);
      keptKeys.values().removeIf(id -> !kept.containsKey(id));
      long freed =
          leasedBytes() - kept.values().stream().mapToLong(l -> leaseLong(l, "bytes")).sum();
      return new RawDevice(capacity, reserve, used - freed, token, kept, keptExpiry, keptKeys);
    }

    void assertConsistent(String device) {
      String what = "device " + device + ": ";
      assertEquals(used, leasedBytes(), what + "the used counter equals the leases' bytes");
      assertTrue(
          leasedBytes() <= capacity - reserve,
          what + leasedBytes() + " leased bytes exceed capacity - reserve " + (capacity - reserve));
      assertEquals(
          leases.keySet(), expiry.keySet(), what + "leases and expiry set hold one id set");
      Set<Long> tokens = new TreeSet<>();
      leases.forEach(
          (id, lease) -> {
            assertEquals(id, lease.getString("id"), what + "hash field is the lease id");
            assertEquals(
                leaseLong(lease, "expires"), expiry.get(id), what + id + " scored by its expiry");
            long leaseToken = leaseLong(lease, "token");
            assertTrue(leaseToken <= token, what + id + " has a token above the counter");
            assertTrue(tokens.add(leaseToken), what + "two leases hold token " + leaseToken);
            String key = lease.getString("idem");
            if (key != null) {
              assertEquals(id, idem.get(key), what + "key " + key + " names its lease");
            }
          });
      idem.forEach(
          (key, id) ->
              assertTrue(
                  leases.containsKey(id) && key.equals(leases.get(id).getString("idem")),
                  what + "idempotency key " + key + " names " + id + ", not a lease of that key"));
    }

    void assertMatches(DeviceModel model) {
      String what = "device " + model.name + " against the model: ";
      assertEquals(model.capacity, capacity, what + "capacity");
      assertEquals(model.reserve, reserve, what + "reserve");
      assertEquals(model.used(), used, what + "used");
      assertEquals(model.lastToken, token, what + "last fencing token");
      assertEquals(model.live.keySet(), leases.keySet(), what + "live lease ids");
      for (ModelLease lease : model.live.values()) {
        JsonObject actual = leases.get(lease.id);
        assertEquals(lease.bytes, leaseLong(actual, "bytes"), what + lease.id + " bytes");
        assertEquals(lease.token, leaseLong(actual, "token"), what + lease.id + " token");
        assertEquals(lease.expires, leaseLong(actual, "expires"), what + lease.id + " expiry");
      }
      assertEquals(new TreeMap<>(model.idem), new TreeMap<>(idem), what + "idempotency keys");
    }

    private static long number(String value) {
      return value == null ? 0 : Long.parseLong(value);
    }

    private static Map<String, String> hash(Response response) {
      Map<String, String> map = new TreeMap<>();
      if (response == null) {
        return map;
      }
      if (response.isMap()) {
        response.getKeys().forEach(key -> map.put(key, response.get(key).toString()));
      } else {
        for (int i = 0; i + 1 < response.size(); i += 2) {
          map.put(response.get(i).toString(), response.get(i + 1).toString());
        }
      }
      return map;
    }

    private static Map<String, Long> zset(Response response) {
      Map<String, Long> scores = new TreeMap<>();
      List<String> flat = new ArrayList<>();
      for (Response entry : response) {
        if (entry.isArray()) {
          entry.forEach(part -> flat.add(part.toString()));
        } else {
          flat.add(entry.toString());
        }
      }
      for (int i = 0; i + 1 < flat.size(); i += 2) {
        scores.put(flat.get(i), (long) Double.parseDouble(flat.get(i + 1)));
      }
      return scores;
    }
  }

  /** The state of one try: a fresh namespace, its three devices and their models. */
  static final class World {
    static final List<DeviceSpec> DEVICES =
        List.of(
            new DeviceSpec("cuda:0", 1_000, 100),
            new DeviceSpec("cuda:1", 4_096, 0),
            new DeviceSpec("cuda:2", 300, 250));
    private final Redis redis;
    private final LeaseStore store;
    private final List<DeviceModel> models = new ArrayList<>();
    private int nextId;

    World(Redis redis) {
      count("chains");
      this.redis = redis;
      this.store = new LeaseStore(redis, "prop-" + UUID.randomUUID(), 2_000);
      for (DeviceSpec spec : DEVICES) {
        await(store.init(spec.name(), spec.capacity(), spec.reserve()));
        models.add(new DeviceModel(spec.name(), spec.capacity(), spec.reserve()));
      }
      List<RawDevice> raw = readAll();
      for (int i = 0; i < models.size(); i++) {
        models.get(i).lastToken = raw.get(i).token();
      }
    }

    void checkRedis() {
      count("steps");
      List<RawDevice> raw = readAll();
      for (int i = 0; i < models.size(); i++) {
        raw.get(i).assertConsistent(models.get(i).name);
        raw.get(i).assertMatches(models.get(i));
      }
    }

    void acquire(int device, int permille, int ttl, int reused, String key, boolean resident) {
      DeviceModel m = models.get(device);
      long bytes = Math.max(1, m.usable() * permille / 1_000);
      String id =
          reused < 0 || m.handles.isEmpty()
              ? "lse_" + nextId++
              : m.handles.get(reused % m.handles.size()).id();
      String holder = "holder" + device;
      long sent = System.nanoTime();
      Grant grant = await(store.acquire(m.name, id, bytes, holder, ttl, resident, "m/x", 3, key));
      long answered = System.nanoTime();
      long now = grant.nowMs();
      m.assertClocksAgree(now, sent, answered);
      m.reclaim(now);
      ModelLease existing = m.live.get(id);
      if (existing == null && key != null && m.idem.containsKey(key)) {
        existing = m.live.get(m.idem.get(key));
      }
      String what = "acquire of " + bytes + " B as " + id + " on " + m.name + " at " + now;
      if (existing != null) {
        assertTrue(grant.granted() && grant.existing(), what + " returns the live lease");
        count("acquire existing");
        existing.assertSameAs(grant.lease(), m.name);
        assertEquals(m.used(), grant.usedBytes(), what);
      } else if (m.used() + bytes > m.usable()) {
        assertEquals(
            new Grant(false, null, false, m.used(), m.usable(), m.earliestExpiry(), now),
            grant,
            what + " does not fit");
        count("acquire full");
      } else {
        assertTrue(grant.granted() && !grant.existing(), what + " fits: " + grant);
        count("acquire granted");
        StoredLease got = grant.lease();
        assertTrue(
            got.fencingToken() > m.lastToken,
            what + ": token " + got.fencingToken() + " after " + m.lastToken);
        assertEquals(holder, got.holder(), what);
        assertEquals("m/x", got.model(), what);
        assertEquals(3, got.priority(), what);
        ModelLease lease = new ModelLease(id, bytes, got.fencingToken(), now, ttl, resident, key);
        lease.expiresAfter(sent, answered);
        lease.assertSameAs(got, m.name);
        m.lastToken = got.fencingToken();
        m.live.put(id, lease);
        m.handles.add(new Handle(id, lease.token));
        if (key != null) {
          m.idem.put(key, id);
        }
        assertEquals(m.used(), grant.usedBytes(), what);
      }
    }

    void renew(int chosen, Target target, boolean rightToken, Integer ttl, Boolean busy) {
      int device = withGrants(chosen);
      DeviceModel m = models.get(device);
      Handle h = m.pick(target);
      long token = rightToken ? h.token() : h.token() + 1;
      RawDevice before = read(device);
      long sent = System.nanoTime();
      Outcome outcome = await(store.renew(m.name, h.id(), token, ttl, busy));
      long answered = System.nanoTime();
      ModelLease lease = expectOutcome(m, "renew", h, token, outcome, sent, answered, before);
      if (lease != null) {
        long now = outcome.nowMs();
        if (ttl != null) {
          lease.ttl = ttl;
        }
        lease.expires = now + lease.ttl;
        if (Boolean.TRUE.equals(busy) || (Boolean.FALSE.equals(busy) && lease.busy)) {
          lease.usedAt = now;
        }
        if (busy != null) {
          lease.busy = busy;
        }
        lease.expiresAfter(sent, answered);
        lease.assertSameAs(outcome.lease(), m.name);
      }
    }

    void release(int chosen, Target target, boolean rightToken) {
      int device = withGrants(chosen);
      DeviceModel m = models.get(device);
      Handle h = m.pick(target);
      long token = rightToken ? h.token() : h.token() - 1;
      RawDevice before = read(device);
      long sent = System.nanoTime();
      Outcome outcome = await(store.release(m.name, h.id(), token));
      long answered = System.nanoTime();
      ModelLease lease = expectOutcome(m, "release", h, token, outcome, sent, answered, before);
      if (lease != null) {
        lease.assertSameAs(outcome.lease(), m.name);
        m.remove(lease);
        assertEquals(m.used(), outcome.usedBytes(), "used after releasing " + h.id());
      }
    }

    void abort(int chosen, Target target) {
      int device = withGrants(chosen);
      DeviceModel m = models.get(device);
      Handle h = m.pick(target);
      RawDevice before = read(device);
      long sent = System.nanoTime();
      Outcome outcome = await(store.abort(m.name, h.id()));
      long answered = System.nanoTime();
      ModelLease lease = expectOutcome(m, "abort", h, null, outcome, sent, answered, before);
      if (lease != null) {
        lease.assertSameAs(outcome.lease(), m.name);
        m.remove(lease);
        assertEquals(m.used(), outcome.usedBytes(), "used after aborting " + h.id());
      }
    }

    void snapshot(int chosen) {
      DeviceModel m = models.get(withLiveLeases(chosen));
      long sent = System.nanoTime();
      DeviceState state = await(store.snapshot(m.name));
      long answered = System.nanoTime();
      m.assertClocksAgree(state.nowMs(), sent, answered);
      Set<String> reclaimed = m.reclaim(state.nowMs());
      String what = "snapshot of " + m.name + " at " + state.nowMs();
      assertEquals(reclaimed, new TreeSet<>(state.reclaimed()), what + ": reclaimed ids");
      count(reclaimed.isEmpty() ? "snapshot" : "snapshot reclaimed");
      assertEquals(m.capacity, state.capacityBytes(), what);
      assertEquals(m.reserve, state.reserveBytes(), what);
      assertEquals(m.used(), state.usedBytes(), what);
      assertEquals(m.used(), state.leasedBytes(), what);
      assertEquals(m.lastToken, state.lastFencingToken(), what);
      assertEquals(
          m.live.keySet(),
          state.leases().stream().map(StoredLease::leaseId).collect(Collectors.toSet()),
          what + ": live ids");
      state.leases().forEach(l -> m.live.get(l.leaseId()).assertSameAs(l, m.name));
    }

    /**
     * Checks a renew, release or abort answer against the model and returns the model's live lease
     * when the call succeeded. A refused call (GONE, STALE) must have changed nothing in Redis
     * beyond reclaiming the leases that expired by the call's server time.
     *
     * @param token the token sent, or null for an abort
     */
    private ModelLease expectOutcome(
        DeviceModel m,
        String call,
        Handle handle,
        Long token,
        Outcome outcome,
        long sent,
        long answered,
        RawDevice before) {
      long now = outcome.nowMs();
      m.assertClocksAgree(now, sent, answered);
      m.reclaim(now);
      String id = handle.id();
      ModelLease lease = m.live.get(id);
      Outcome.Status expected =
          lease == null
              ? Outcome.Status.GONE
              : token != null && token != lease.token ? Outcome.Status.STALE : Outcome.Status.OK;
      String what = "call on " + id + " (token " + token + ") at " + now + " on " + m.name;
      assertEquals(expected, outcome.status(), what);
      count(call + " " + expected);
      if (expected == Outcome.Status.GONE && m.fates.containsKey(handle)) {
        count(call + " GONE after " + m.fates.get(handle));
      }
      if (expected != Outcome.Status.OK) {
        RawDevice after = read(models.indexOf(m));
        assertEquals(before.reclaimedAt(now), after, what + " was refused, so changed nothing");
        return null;
      }
      return lease;
    }

    /** The chosen device, or the next one with a grant so far when it has none. */
    private int withGrants(int chosen) {
      for (int i = 0; i < models.size(); i++) {
        int device = (chosen + i) % models.size();
        if (!models.get(device).handles.isEmpty()) {
          return device;
        }
      }
      return chosen;
    }

    /** The chosen device, or the next one with leases the model holds live. */
    private int withLiveLeases(int chosen) {
      for (int i = 0; i < models.size(); i++) {
        int device = (chosen + i) % models.size();
        if (!models.get(device).live.isEmpty()) {
          return device;
        }
      }
      return chosen;
    }

    private RawDevice read(int device) {
      return await(RawDevice.read(redis, store, List.of(models.get(device).name))).get(0);
    }

    private List<RawDevice> readAll() {
      return await(RawDevice.read(redis, store, models.stream().map(m -> m.name).toList()));
    }

    @Override
    public String toString() {
      return "World" + models.stream().map(m -> m.name + "=" + m.live.keySet()).toList();
    }
  }
}
