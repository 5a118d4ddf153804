package dev.imajin.gpuboss.store;

import static dev.imajin.gpuboss.store.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.imajin.gpuboss.store.LeaseStorePropertyTest.RawDevice;
import dev.imajin.runtime.RedisClients;
import dev.imajin.runtime.testing.TestNodes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Test 2 of RELIABILITY.md section 7, sized for the unit suite (see {@link #CALLS_PER_CLIENT}): 64
 * clients on four Redis clients (each as the node creates it, {@link RedisClients}) send 20,480
 * mixed acquire, renew and release calls with short TTLs to two devices, and append every answer,
 * with the server's clock, to a ledger. The ledger is then reconciled with itself and with Redis.
 */
class LeaseStoreStormTest {
  private static final int CLIENTS = 64;

  /** 320 calls each, 20,480 in all; {@code -Dimajin.storm.calls-per-client=1563} makes 100k. */
  private static final int CALLS_PER_CLIENT =
      Integer.getInteger("imajin.storm.calls-per-client", 320);

  private static final int OPERATIONS = CLIENTS * CALLS_PER_CLIENT;
  private static final int REDIS_CLIENTS = 4;
  private static final int MAX_TTL_MS = 400;
  private static final Map<String, Long> USABLE = Map.of("cuda:0", 9_000L, "cuda:1", 3_500L);
  private static final Map<String, Long> RESERVE = Map.of("cuda:0", 1_000L, "cuda:1", 500L);
  private static final List<String> DEVICES = List.of("cuda:0", "cuda:1");

  private Vertx vertx;
  private final List<Redis> redises = new ArrayList<>();
  private final List<LeaseStore> stores = new ArrayList<>();
  private final Queue<Entry> ledger = new ConcurrentLinkedQueue<>();
  private final Queue<String> violations = new ConcurrentLinkedQueue<>();
  private final AtomicInteger started = new AtomicInteger();

  enum Op {
    ACQUIRE,
    RENEW,
    RELEASE
  }

  enum Result {
    GRANTED,
    EXISTING,
    FULL,
    OK,
    STALE,
    GONE,
    FAILED
  }

  /**
   * One answered call. {@code expiresAt} is the lease's expiry after a grant or renewal, and {@code
   * usedAfter} the device's usage the script reported (-1 when it reports none).
   */
  record Entry(
      String client,
      Op op,
      String device,
      String leaseId,
      long token,
      long bytes,
      Result result,
      long now,
      long usedAfter,
      long expiresAt) {}

  /** A lease a client holds, as far as it knows. */
  record Held(String device, String id, long token, long bytes, long expiresAt) {}

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    String namespace = "storm-" + UUID.randomUUID();
    for (int i = 0; i < REDIS_CLIENTS; i++) {
      Redis redis = RedisClients.create(vertx, TestNodes.redis().url());
      redises.add(redis);
      stores.add(new LeaseStore(redis, namespace, 5_000));
    }
    for (String device : DEVICES) {
      await(
          stores
              .get(0)
              .init(device, USABLE.get(device) + RESERVE.get(device), RESERVE.get(device)));
    }
  }

  @AfterEach
  void stop() {
    await(vertx.close());
  }

  @Test
  void sixtyFourClientsNeverOvercommitAndEveryCallEndsInTheLedger() throws Exception {
    long startedAt = System.nanoTime();
    List<Future<Void>> clients = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      Client client = new Client("c" + i, stores.get(i % REDIS_CLIENTS), new SplittableRandom(i));
      clients.add(client.run(CALLS_PER_CLIENT));
    }
    try {
      Future.join(clients).toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);
    } catch (TimeoutException e) {
      fail((started.get() - ledger.size()) + " calls never ended", e);
    }
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt);
    System.out.printf(
        "storm: %d calls in %d ms (%.0f/s): %s%n",
        ledger.size(),
        elapsedMs,
        ledger.size() * 1000.0 / elapsedMs,
        ledger.stream()
            .collect(
                Collectors.groupingBy(
                    e -> e.op() + " " + e.result(), TreeMap::new, Collectors.counting())));

    assertEquals(OPERATIONS, started.get(), "calls started");
    assertEquals(OPERATIONS, ledger.size(), "every started call ended in the ledger");
    assertEquals(0, count(Result.FAILED), "calls failed against a healthy local Redis");
    assertEquals(0, count(Result.EXISTING), "lease ids are unique, so no grant is a repeat");
    assertTrue(count(Result.FULL) > 0, "the storm filled the devices at times");
    assertTrue(count(Result.GRANTED) > OPERATIONS / 5, "the storm granted leases");
    assertTrue(violations.isEmpty(), violations.size() + " violations: " + first(violations));

    for (String device : DEVICES) {
      List<Entry> entries = ledger.stream().filter(e -> e.device().equals(device)).toList();
      assertNoGrantExceedsUsable(device, entries);
      assertLedgerNeverOvercommits(device, entries);
      assertGrantsAreUniqueAndTokensIncrease(device, entries);
    }
    reconcileWithRedis();
    assertEquals(0, evictedKeys(), "Redis evicted keys");
  }

  private long count(Result result) {
    return ledger.stream().filter(e -> e.result() == result).count();
  }

  private static String first(Queue<String> queue) {
    return queue.stream().limit(5).toList().toString();
  }

  private static void assertNoGrantExceedsUsable(String device, List<Entry> entries) {
    for (Entry e : entries) {
      if (e.result() == Result.GRANTED) {
        assertTrue(
            e.usedAfter() <= USABLE.get(device) && e.usedAfter() >= e.bytes(),
            "grant " + e + " reports usage outside [bytes, usable " + USABLE.get(device) + "]");
      }
    }
  }

  /**
   * A lease's life on the server's clock: from its grant to its release, or to the expiry its last
   * renewal (or the grant) set. Each lease has one client, which calls it one call at a time, so
   * the ledger holds its entries in the order they ran.
   */
  record Life(String id, long start, long end, long bytes) {
    boolean certainlyLiveAt(long t) {
      return start < t && t < end;
    }
  }

  /**
   * Rebuilds each lease's life from the ledger and checks at every grant that the leases certainly
   * live at that instant (granted strictly before it, ending strictly after it) plus the new one
   * fit the usable bytes.
   */
  private static void assertLedgerNeverOvercommits(String device, List<Entry> entries) {
    Map<String, Life> lives = new HashMap<>();
    for (Entry e : entries) {
      if (e.result() == Result.GRANTED) {
        lives.put(e.leaseId(), new Life(e.leaseId(), e.now(), e.expiresAt(), e.bytes()));
      }
    }
    for (Entry e : entries) {
      Life life = lives.get(e.leaseId());
      if (life != null && e.op() == Op.RENEW && e.result() == Result.OK) {
        // A renewal sets the expiry to its own clock plus the TTL, which may be shorter.
        lives.put(life.id(), new Life(life.id(), life.start(), e.expiresAt(), life.bytes()));
      }
    }
    for (Entry e : entries) {
      Life life = lives.get(e.leaseId());
      if (life != null && e.op() == Op.RELEASE && e.result() == Result.OK) {
        lives.put(
            life.id(),
            new Life(life.id(), life.start(), Math.min(life.end(), e.now()), life.bytes()));
      }
    }
    for (Life grant : lives.values()) {
      List<Life> live =
          lives.values().stream().filter(l -> l.certainlyLiveAt(grant.start())).toList();
      long bytes = live.stream().mapToLong(Life::bytes).sum() + grant.bytes();
      assertTrue(
          bytes <= USABLE.get(device),
          device
              + ": granting "
              + grant
              + " made "
              + bytes
              + " B live, over "
              + USABLE.get(device)
              + "; live then: "
              + live);
    }
  }

  private static void assertGrantsAreUniqueAndTokensIncrease(String device, List<Entry> entries) {
    List<Entry> grants =
        entries.stream()
            .filter(e -> e.result() == Result.GRANTED)
            .sorted(Comparator.comparingLong(Entry::token))
            .toList();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < grants.size(); i++) {
      Entry grant = grants.get(i);
      assertTrue(ids.add(grant.leaseId()), device + ": lease granted twice: " + grant);
      if (i > 0) {
        Entry before = grants.get(i - 1);
        assertTrue(before.token() < grant.token(), device + ": token reused: " + grant);
        assertTrue(
            before.now() <= grant.now(),
            device + ": token " + grant.token() + " granted before " + before.token());
      }
    }
    assertEquals(
        grants.size() - 1,
        grants.get(grants.size() - 1).token() - grants.get(0).token(),
        device + ": every fencing token taken belongs to a grant in the ledger");
  }

  /**
   * Redis holds exactly the leases the ledger says are live, its counter equals their bytes, and
   * once every TTL has passed it holds nothing.
   */
  private void reconcileWithRedis() throws InterruptedException {
    LeaseStore store = stores.get(0);
    List<RawDevice> raw = await(RawDevice.read(redises.get(0), store, DEVICES));
    for (int i = 0; i < DEVICES.size(); i++) {
      raw.get(i).assertConsistent(DEVICES.get(i));
    }
    for (String device : DEVICES) {
      DeviceState state = await(store.snapshot(device));
      Set<String> live =
          state.leases().stream().map(StoredLease::leaseId).collect(Collectors.toSet());
      assertEquals(ledgerLive(device, state.nowMs()), live, device + ": live leases");
      assertEquals(state.leasedBytes(), state.usedBytes(), device);
      long lastToken =
          ledger.stream()
              .filter(e -> e.device().equals(device) && e.result() == Result.GRANTED)
              .mapToLong(Entry::token)
              .max()
              .orElseThrow();
      assertEquals(lastToken, state.lastFencingToken(), device + ": last fencing token");
    }
    TimeUnit.MILLISECONDS.sleep(MAX_TTL_MS + 50);
    for (String device : DEVICES) {
      DeviceState state = await(store.snapshot(device));
      assertEquals(0, state.usedBytes(), device + ": usage once every TTL passed");
      assertTrue(state.leases().isEmpty(), device + ": leases once every TTL passed");
    }
  }

  /** The leases the ledger shows granted, not released, and expiring after {@code now}. */
  private Set<String> ledgerLive(String device, long now) {
    Map<String, Long> expiry = new HashMap<>();
    for (Entry e : ledger) {
      if (!e.device().equals(device)) {
        continue;
      }
      if (e.result() == Result.GRANTED || (e.op() == Op.RENEW && e.result() == Result.OK)) {
        expiry.put(e.leaseId(), e.expiresAt());
      }
    }
    for (Entry e : ledger) {
      if (e.op() == Op.RELEASE && e.result() == Result.OK) {
        expiry.remove(e.leaseId());
      }
    }
    expiry.values().removeIf(expires -> expires <= now);
    return expiry.keySet();
  }

  private long evictedKeys() {
    String info = await(redises.get(0).send(Request.cmd(Command.INFO).arg("stats"))).toString();
    Matcher m = Pattern.compile("evicted_keys:(\\d+)").matcher(info);
    assertTrue(m.find(), info);
    return Long.parseLong(m.group(1));
  }

  /** One client: its calls run one after another, each on the answer of the one before. */
  private final class Client {
    private final String name;
    private final LeaseStore store;
    private final SplittableRandom random;
    private final List<Held> held = new ArrayList<>();
    private int nextId;

    Client(String name, LeaseStore store, SplittableRandom random) {
      this.name = name;
      this.store = store;
      this.random = random;
    }

    Future<Void> run(int calls) {
      if (calls == 0) {
        return Future.succeededFuture();
      }
      started.incrementAndGet();
      return step().compose(entry -> run(calls - 1), failure -> run(calls - 1));
    }

    private Future<Void> step() {
      double dice = random.nextDouble();
      if (!held.isEmpty() && dice < 0.35) {
        return release(held.remove(random.nextInt(held.size())));
      }
      if (!held.isEmpty() && dice < 0.5) {
        return renew(held.get(random.nextInt(held.size())));
      }
      return acquire();
    }

    private Future<Void> acquire() {
      String device = DEVICES.get(random.nextInt(DEVICES.size()));
      long usable = USABLE.get(device);
      double size = random.nextDouble();
      long bytes =
          1 + (long) (usable * (size < 0.6 ? 0.05 : size < 0.9 ? 0.3 : 1.2) * random.nextDouble());
      int ttl = 50 + random.nextInt(MAX_TTL_MS - 50);
      String id = "lse_" + name + "_" + nextId++;
      return store
          .acquire(device, id, bytes, name, ttl, false, null, 5, null)
          .<Void>map(
              grant -> {
                Result result =
                    grant.granted()
                        ? grant.existing() ? Result.EXISTING : Result.GRANTED
                        : Result.FULL;
                long token = grant.granted() ? grant.lease().fencingToken() : -1;
                long expires = grant.granted() ? grant.lease().expiresAtMs() : -1;
                if (result == Result.GRANTED) {
                  held.add(new Held(device, id, token, bytes, expires));
                }
                record(
                    Op.ACQUIRE,
                    device,
                    id,
                    token,
                    bytes,
                    result,
                    grant.nowMs(),
                    grant.usedBytes(),
                    expires);
                return null;
              })
          .recover(failure -> failed(Op.ACQUIRE, device, id, bytes, failure));
    }

    private Future<Void> renew(Held lease) {
      boolean rightToken = random.nextInt(20) != 0;
      long token = rightToken ? lease.token() : lease.token() + 1;
      Integer ttl = random.nextBoolean() ? null : 50 + random.nextInt(MAX_TTL_MS - 50);
      return store
          .renew(lease.device(), lease.id(), token, ttl, null)
          .<Void>map(
              outcome -> {
                long expires = outcome.ok() ? outcome.lease().expiresAtMs() : -1;
                check(lease, rightToken, outcome);
                if (outcome.ok()) {
                  held.set(held.indexOf(lease), withExpiry(lease, expires));
                } else if (outcome.status() == Outcome.Status.GONE) {
                  held.remove(lease);
                }
                record(
                    Op.RENEW,
                    lease.device(),
                    lease.id(),
                    token,
                    lease.bytes(),
                    Result.valueOf(outcome.status().name()),
                    outcome.nowMs(),
                    -1,
                    expires);
                return null;
              })
          .recover(failure -> failed(Op.RENEW, lease.device(), lease.id(), lease.bytes(), failure));
    }

    private Future<Void> release(Held lease) {
      boolean rightToken = random.nextInt(20) != 0;
      long token = rightToken ? lease.token() : lease.token() - 1;
      if (!rightToken) {
        held.add(lease);
      }
      return store
          .release(lease.device(), lease.id(), token)
          .<Void>map(
              outcome -> {
                check(lease, rightToken, outcome);
                record(
                    Op.RELEASE,
                    lease.device(),
                    lease.id(),
                    token,
                    lease.bytes(),
                    Result.valueOf(outcome.status().name()),
                    outcome.nowMs(),
                    outcome.usedBytes(),
                    -1);
                return null;
              })
          .recover(
              failure -> failed(Op.RELEASE, lease.device(), lease.id(), lease.bytes(), failure));
    }

    /**
     * This client alone calls its leases, one call at a time, so it knows each one's expiry
     * exactly: a call with the right token succeeds iff the server's clock is before it; a wrong
     * token is STALE while the lease lives.
     */
    private void check(Held lease, boolean rightToken, Outcome outcome) {
      boolean live = outcome.nowMs() < lease.expiresAt();
      Outcome.Status expected =
          !live ? Outcome.Status.GONE : rightToken ? Outcome.Status.OK : Outcome.Status.STALE;
      if (outcome.status() != expected) {
        violations.add(
            name
                + ": "
                + lease
                + " answered "
                + outcome.status()
                + " at "
                + outcome.nowMs()
                + ", expected "
                + expected);
      }
      if (expected == Outcome.Status.OK && outcome.usedBytes() > USABLE.get(lease.device())) {
        violations.add(name + ": usage " + outcome.usedBytes() + " after releasing " + lease);
      }
    }

    private Held withExpiry(Held lease, long expires) {
      return new Held(lease.device(), lease.id(), lease.token(), lease.bytes(), expires);
    }

    private void record(
        Op op,
        String device,
        String id,
        long token,
        long bytes,
        Result result,
        long now,
        long used,
        long expires) {
      ledger.add(new Entry(name, op, device, id, token, bytes, result, now, used, expires));
    }

    private Future<Void> failed(Op op, String device, String id, long bytes, Throwable failure) {
      violations.add(name + ": " + op + " " + id + " failed: " + failure);
      record(op, device, id, -1, bytes, Result.FAILED, -1, -1, -1);
      return Future.succeededFuture();
    }
  }
}
