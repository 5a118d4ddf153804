package dev.imajin.gpuboss.bench;

import dev.imajin.gpuboss.store.LeaseStore;
import dev.imajin.runtime.EmbeddedRedis;
import dev.imajin.runtime.RedisClients;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lease store latency and throughput against a real Redis, run by {@code tools/bench/leases.sh}:
 *
 * <pre>
 *   LeaseBench [--url redis://host:port] [--calls 5000] [--warmup 3000] [--seconds 3]
 *       [--callers 1,16,32,64]
 * </pre>
 *
 * Without {@code --url} it starts an embedded Redis. It measures, in one run: the sequential round
 * trips of PING, of a bare {@code EVALSHA} of a trivial script, of the acquire script sent raw and
 * of the lease calls through {@link LeaseStore} (p50, p99, and Redis's own time per call); then
 * lease operations per second (each acquire and each release counts one) with N callers in flight,
 * each running acquire then release, on a client with Vert.x's default pool, on the node's client
 * ({@link RedisClients}) and on one pipelined connection. {@code --calls} is the number of measured
 * rounds of the sequential calls.
 */
public final class LeaseBench {
  private static final String DEVICE = "bench:0";
  private static final String TRIVIAL = "return redis.call('TIME')";

  private final Vertx vertx = Vertx.vertx();
  private final String url;
  private final Map<String, String> options;

  private LeaseBench(String url, Map<String, String> options) {
    this.url = url;
    this.options = options;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new TreeMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    EmbeddedRedis embedded = options.containsKey("url") ? null : EmbeddedRedis.start(0);
    String url = embedded == null ? options.get("url") : embedded.url();
    LeaseBench bench = new LeaseBench(url, options);
    try {
      bench.run(embedded == null ? url : url + " (embedded, " + embedded.binary() + ")");
    } finally {
      bench.vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      if (embedded != null) {
        embedded.close();
      }
    }
  }

  private int option(String name, int fallback) {
    return Integer.parseInt(options.getOrDefault(name, Integer.toString(fallback)));
  }

  private void run(String where) throws Exception {
    Redis redis = RedisClients.create(vertx, url);
    String version = block(redis.send(Request.cmd(Command.INFO).arg("server"))).toString();
    System.out.printf(
        "Redis %s at %s; %d cores; Java %s%n",
        version.replaceAll("(?s).*redis_version:([^\\r\\n]+).*", "$1"),
        where,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));

    String sha = load(redis, TRIVIAL);
    LeaseStore store = store(redis);
    latencies(redis, store, sha, option("calls", 5_000), option("warmup", 3_000));

    int seconds = option("seconds", 3);
    System.out.printf(
        "%nThroughput, N callers in flight, %d s each; a lease op is one acquire or one release:%n",
        seconds);
    System.out.printf(
        "  %-38s %7s %12s %14s %s%n",
        "Redis client", "callers", "lease ops/s", "bare EVALSHA/s", "failed (lease/bare)");
    Map<String, Redis> clients = new LinkedHashMap<>();
    clients.put("Vert.x defaults (pool 6, 24 waiting)", Redis.createClient(vertx, url));
    clients.put("node's RedisClients (pool 16)", redis);
    clients.put(
        "one connection, pipelined",
        new OneConnection(block(Redis.createClient(vertx, url).connect())));
    for (String callers : options.getOrDefault("callers", "1,16,32,64").split(",")) {
      for (Map.Entry<String, Redis> client : clients.entrySet()) {
        throughput(
            client.getKey(), client.getValue(), sha, Integer.parseInt(callers.trim()), seconds);
      }
    }
  }

  /**
   * A {@link Redis} that sends everything on one connection. The pooled client lends each call a
   * connection of its own until the answer comes (one call in flight per connection); this one
   * pipelines every caller's calls on a single connection.
   */
  private record OneConnection(RedisConnection connection) implements Redis {
    @Override
    public Future<RedisConnection> connect() {
      return Future.succeededFuture(connection);
    }

    @Override
    public Future<Void> close() {
      return connection.close();
    }

    @Override
    public Future<Response> send(Request request) {
      return connection.send(request);
    }

    @Override
    public Future<List<Response>> batch(List<Request> requests) {
      return connection.batch(requests);
    }
  }

  /**
   * Sequential round trips, each call sent on the answer of the last, with the server's share from
   * {@code INFO commandstats}. The acquire script is also sent raw (EVALSHA of the same text with
   * the same keys), which splits a lease call's cost into Redis's and the store's.
   */
  private void latencies(Redis redis, LeaseStore store, String sha, int rounds, int warmup)
      throws Exception {
    String acquireSha = load(redis, script("common") + "\n" + script("acquire"));
    List<String> keys = store.keys(DEVICE);
    AtomicLong ids = new AtomicLong();
    List<Long> tokens = new ArrayList<>();
    int[] released = new int[1];
    Map<String, Supplier<Future<?>>> ops = new LinkedHashMap<>();
    ops.put("PING", () -> redis.send(Request.cmd(Command.PING)));
    ops.put(
        "EVALSHA " + TRIVIAL + " (bare script)",
        () -> redis.send(Request.cmd(Command.EVALSHA).arg(sha).arg(0)));
    ops.put(
        "EVALSHA acquire.lua, raw",
        () -> {
          Request request = Request.cmd(Command.EVALSHA).arg(acquireSha).arg(keys.size());
          keys.forEach(request::arg);
          for (String arg :
              List.of("raw_" + ids.incrementAndGet(), "1", "bench", "600000", "0", "", "5", "")) {
            request.arg(arg);
          }
          return redis.send(request);
        });
    ops.put(
        "LeaseStore.acquire",
        () ->
            store
                .acquire(DEVICE, "lse_" + tokens.size(), 1, "bench", 600_000, false, null, 5, null)
                .onSuccess(grant -> tokens.add(grant.lease().fencingToken())));
    ops.put(
        "LeaseStore.release",
        () -> store.release(DEVICE, "lse_" + released[0], tokens.get(released[0]++)));
    ops.put(
        "LeaseStore.acquire, then release",
        () -> acquireRelease(store, "seq_" + ids.incrementAndGet()));

    System.out.printf(
        "%nSequential round trips, one caller, each call sent on the answer of the last; the calls"
            + " take turns,%n%d rounds after %d warm-up rounds, so drift in the machine's speed"
            + " hits all alike. Redis us/call from INFO commandstats:%n",
        rounds, warmup);
    System.out.printf(
        "  %-40s %8s %8s %8s %14s%n", "call", "p50 us", "p99 us", "mean us", "Redis us/call");
    List<Supplier<Future<?>>> calls = new ArrayList<>(ops.values());
    block(inTurns(calls, warmup));
    long[][] measured = block(inTurns(calls, rounds));
    Map<String, long[]> nanos = new LinkedHashMap<>();
    int i = 0;
    for (Map.Entry<String, Supplier<Future<?>>> op : ops.entrySet()) {
      String stat = op.getKey().equals("PING") ? "ping" : "evalsha";
      double[] before = commandStats(redis, stat);
      block(inTurns(List.of(op.getValue()), warmup));
      double[] after = commandStats(redis, stat);
      nanos.put(op.getKey(), measured[i++]);
      row(op.getKey(), nanos.get(op.getKey()), (after[1] - before[1]) / (after[0] - before[0]));
    }
    long[] bare = nanos.get("EVALSHA " + TRIVIAL + " (bare script)");
    System.out.printf(
        "  against the bare script at p50 (p99): raw acquire script %.2fx (%.2fx),"
            + " LeaseStore.acquire %.2fx (%.2fx), release %.2fx (%.2fx),%n"
            + "  acquire then release %.2fx (%.2fx), two scripts so 2x is its floor%n",
        ratio(nanos.get("EVALSHA acquire.lua, raw"), bare, 50),
        ratio(nanos.get("EVALSHA acquire.lua, raw"), bare, 99),
        ratio(nanos.get("LeaseStore.acquire"), bare, 50),
        ratio(nanos.get("LeaseStore.acquire"), bare, 99),
        ratio(nanos.get("LeaseStore.release"), bare, 50),
        ratio(nanos.get("LeaseStore.release"), bare, 99),
        ratio(nanos.get("LeaseStore.acquire, then release"), bare, 50),
        ratio(nanos.get("LeaseStore.acquire, then release"), bare, 99));
  }

  /** Calls and microseconds Redis has spent on a command so far. */
  private static double[] commandStats(Redis redis, String command) {
    String info = block(redis.send(Request.cmd(Command.INFO).arg("commandstats"))).toString();
    Matcher m = Pattern.compile("cmdstat_" + command + ":calls=(\\d+),usec=(\\d+)").matcher(info);
    return m.find()
        ? new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))}
        : new double[] {0, 0};
  }

  private static String load(Redis redis, String script) {
    return block(redis.send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(script))).toString();
  }

  private static String script(String name) throws IOException {
    String path = "/dev/imajin/gpuboss/lua/" + name + ".lua";
    try (InputStream in = LeaseStore.class.getResourceAsStream(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private LeaseStore store(Redis redis) {
    LeaseStore store = new LeaseStore(redis, "bench-" + UUID.randomUUID(), 5_000);
    block(store.init(DEVICE, 1L << 40, 0));
    return store;
  }

  private static Future<?> acquireRelease(LeaseStore store, String id) {
    return store
        .acquire(DEVICE, id, 1, "bench", 60_000, false, null, 5, null)
        .compose(grant -> store.release(DEVICE, id, grant.lease().fencingToken()));
  }

  private void throughput(String label, Redis redis, String sha, int callers, int seconds) {
    LeaseStore store = store(redis);
    Result leases = drive(callers, seconds, 2, i -> acquireRelease(store, "tp-" + i));
    Result bare =
        drive(callers, seconds, 1, i -> redis.send(Request.cmd(Command.EVALSHA).arg(sha).arg(0)));
    System.out.printf(
        "  %-38s %7d %12.0f %14.0f %8s%n",
        label,
        callers,
        leases.perSecond(),
        bare.perSecond(),
        leases.failed() + "/" + bare.failed());
  }

  private record Result(double perSecond, long failed) {}

  /** {@code callers} loops, each calling {@code op} on the answer of its last call. */
  private Result drive(int callers, int seconds, int opsPerCall, LongFunction<Future<?>> op) {
    LongAdder done = new LongAdder();
    LongAdder failed = new LongAdder();
    AtomicLong ids = new AtomicLong();
    long start = System.nanoTime();
    long deadline = start + TimeUnit.SECONDS.toNanos(seconds);
    List<Future<Void>> loops = new ArrayList<>();
    for (int i = 0; i < callers; i++) {
      Promise<Void> finished = Promise.promise();
      loop(op, ids, deadline, done, failed, finished);
      loops.add(finished.future());
    }
    block(Future.join(loops));
    double elapsed = (System.nanoTime() - start) / 1e9;
    return new Result(done.sum() * opsPerCall / elapsed, failed.sum());
  }

  private void loop(
      LongFunction<Future<?>> op,
      AtomicLong ids,
      long deadline,
      LongAdder done,
      LongAdder failed,
      Promise<Void> finished) {
    if (System.nanoTime() >= deadline) {
      finished.complete();
      return;
    }
    op.apply(ids.incrementAndGet())
        .onComplete(
            result -> {
              if (result.succeeded()) {
                done.increment();
                loop(op, ids, deadline, done, failed, finished);
              } else {
                // A refusal can come back at once: wait a millisecond, as a caller given a 503
                // would, rather than spin on the event loop.
                failed.increment();
                vertx.setTimer(1, t -> loop(op, ids, deadline, done, failed, finished));
              }
            });
  }

  /**
   * Calls the ops in turns, {@code rounds} times each, each call on the answer of the last; the
   * round trips in ns, by op.
   */
  private static Future<long[][]> inTurns(List<Supplier<Future<?>>> ops, int rounds) {
    long[][] nanos = new long[ops.size()][rounds];
    Promise<long[][]> all = Promise.promise();
    next(ops, nanos, 0, all);
    return all.future();
  }

  private static void next(
      List<Supplier<Future<?>>> ops, long[][] nanos, int call, Promise<long[][]> all) {
    int op = call % ops.size();
    int round = call / ops.size();
    if (round == nanos[0].length) {
      all.complete(nanos);
      return;
    }
    long start = System.nanoTime();
    ops.get(op)
        .get()
        .onComplete(
            result -> {
              if (result.failed()) {
                all.fail(result.cause());
                return;
              }
              nanos[op][round] = System.nanoTime() - start;
              next(ops, nanos, call + 1, all);
            });
  }

  private static void row(String name, long[] nanos, double serverMicros) {
    System.out.printf(
        "  %-40s %8.0f %8.0f %8.0f %14.1f%n",
        name,
        percentile(nanos, 50) / 1e3,
        percentile(nanos, 99) / 1e3,
        Arrays.stream(nanos).average().orElse(0) / 1e3,
        serverMicros);
  }

  private static double ratio(long[] a, long[] b, int p) {
    return (double) percentile(a, p) / percentile(b, p);
  }

  private static long percentile(long[] nanos, int p) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
  }

  private static <T> T block(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("the benchmark call failed", e);
    }
  }
}
