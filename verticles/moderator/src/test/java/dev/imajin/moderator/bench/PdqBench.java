package dev.imajin.moderator.bench;

import dev.imajin.contracts.moderator.CreateBankRequest;
import dev.imajin.contracts.moderator.HashChangeResult;
import dev.imajin.contracts.moderator.MatchHashRequest;
import dev.imajin.contracts.moderator.MatchResult;
import dev.imajin.contracts.moderator.ModerationCategory;
import dev.imajin.moderator.ModeratorService;
import dev.imajin.moderator.banks.BankIndex;
import dev.imajin.moderator.banks.BankStore;
import dev.imajin.moderator.banks.BankSync;
import dev.imajin.moderator.pdq.Hash256;
import dev.imajin.runtime.EmbeddedRedis;
import dev.imajin.runtime.RedisClients;
import dev.imajin.runtime.config.ImajinConfig;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.redis.client.Redis;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Fills a bank with random PDQ hashes plus planted near-duplicates through {@code importHashes},
 * then times lookups: the in-memory multi-index alone, a linear scan of the same bank for
 * comparison, and {@code matchHash} through the service (worker hop and the Redis label read
 * included). Also times loading the bank from Redis as a restarted node does. Run by {@code
 * tools/bench/pdq.sh}; arguments: {@code --hashes N --queries N --threshold T --url redis://...}.
 */
public final class PdqBench {
  private PdqBench() {}

  static Hash256 random(Random rnd) {
    return Hash256.of(rnd.nextLong(), rnd.nextLong(), rnd.nextLong(), rnd.nextLong());
  }

  static Hash256 flip(Hash256 h, int bits, Random rnd) {
    long[] w = {h.word(0), h.word(1), h.word(2), h.word(3)};
    java.util.BitSet done = new java.util.BitSet(256);
    while (done.cardinality() < bits) {
      int k = rnd.nextInt(256);
      if (!done.get(k)) {
        done.set(k);
        w[k >>> 6] ^= 1L << (k & 63);
      }
    }
    return Hash256.of(w[0], w[1], w[2], w[3]);
  }

  public static void main(String[] args) throws Exception {
    int hashes = 1_000_000;
    int queries = 10_000;
    int threshold = 31;
    String url = null;
    for (int i = 0; i < args.length; i += 2) {
      switch (args[i]) {
        case "--hashes" -> hashes = Integer.parseInt(args[i + 1]);
        case "--queries" -> queries = Integer.parseInt(args[i + 1]);
        case "--threshold" -> threshold = Integer.parseInt(args[i + 1]);
        case "--url" -> url = args[i + 1];
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    EmbeddedRedis embedded = url == null ? EmbeddedRedis.start(0) : null;
    String redisUrl = url == null ? embedded.url() : url;
    Vertx vertx = Vertx.vertx();
    try {
      run(vertx, redisUrl, hashes, queries, threshold);
    } finally {
      vertx.close().await();
      if (embedded != null) {
        embedded.close();
      }
    }
  }

  static void run(Vertx vertx, String url, int n, int queries, int threshold) {
    Redis redis = RedisClients.create(vertx, url);
    ImajinConfig.Moderator config =
        new ImajinConfig.Moderator(
            1L << 26, 2 * n + 1000, 1L << 30, 100_000, 60_000, "", 365, 60_000);
    ModeratorService service = ModeratorService.create(vertx, redis, config);
    service.start().await();
    String bank = "bench-" + Long.toHexString(System.nanoTime());
    service
        .createBank(new CreateBankRequest(bank, "benchmark", ModerationCategory.VIOLENCE_GRAPHIC))
        .await();

    Random rnd = new Random(20261129);
    int planted = Math.min(1_000, n / 10);
    List<Hash256> plantedQueries = new ArrayList<>();
    StringBuilder text = new StringBuilder(n * 66);
    int written = 0;
    for (int q = 0; q < planted; q++) {
      Hash256 query = random(rnd);
      plantedQueries.add(query);
      // one near-duplicate within the threshold and one just outside it, per planted query
      text.append(flip(query, 1 + rnd.nextInt(threshold), rnd).toHex()).append(" near\n");
      text.append(flip(query, threshold + 1 + rnd.nextInt(8), rnd).toHex()).append('\n');
      written += 2;
    }
    while (written < n) {
      text.append(random(rnd).toHex()).append('\n');
      written++;
    }
    System.out.printf("bank %s: importing %,d hashes (%,d planted pairs)%n", bank, n, planted);
    long t0 = System.nanoTime();
    HashChangeResult imported = service.importHashes(bank, text.toString()).await();
    long importMs = (System.nanoTime() - t0) / 1_000_000;
    text = null;
    System.out.printf(
        "import: %,d added in %,d ms (%,.0f hashes/s), bank size %,d%n",
        imported.added(), importMs, imported.added() * 1000.0 / importMs, imported.hashCount());

    WorkerExecutor worker = vertx.createSharedWorkerExecutor("bench-load", 2);
    BankSync fresh = new BankSync(vertx, new BankStore(redis, 100_000), worker);
    long l0 = System.nanoTime();
    fresh.start().await();
    long loadMs = (System.nanoTime() - l0) / 1_000_000;
    BankIndex index = fresh.bank(bank);
    System.out.printf(
        "load from Redis (a restarted node): %,d hashes in %,d ms%n", index.size(), loadMs);

    List<Hash256> mixed = new ArrayList<>();
    for (int i = 0; i < queries; i++) {
      mixed.add(i % 2 == 0 ? plantedQueries.get(i / 2 % planted) : random(rnd));
    }
    // warm up, then time the index alone
    int found = 0;
    for (int i = 0; i < Math.min(queries, 2_000); i++) {
      found += index.search(mixed.get(i), threshold).size();
    }
    long[] mih = new long[queries];
    found = 0;
    for (int i = 0; i < queries; i++) {
      long s = System.nanoTime();
      found += index.search(mixed.get(i), threshold).size();
      mih[i] = System.nanoTime() - s;
    }
    int recall = 0;
    for (Hash256 q : plantedQueries) {
      recall += index.search(q, threshold).isEmpty() ? 0 : 1;
    }
    report("multi-index search (in memory)", mih);
    System.out.printf(
        "  %,d matches over %,d queries; %,d of %,d planted near-duplicates found%n",
        found, queries, recall, planted);

    int scans = Math.min(200, queries);
    long[] scan = new long[scans];
    for (int i = 0; i < scans; i++) {
      long s = System.nanoTime();
      index.scan(mixed.get(i), threshold);
      scan[i] = System.nanoTime() - s;
    }
    report("linear scan (in memory, for comparison)", scan);

    int calls = Math.min(2_000, queries);
    long[] svc = new long[calls];
    for (int i = 0; i < calls; i++) {
      MatchHashRequest req =
          new MatchHashRequest(
              mixed.get(i).toHex(), null, null, List.of(bank), threshold, null, null);
      long s = System.nanoTime();
      MatchResult r = service.matchHash(req).await();
      svc[i] = System.nanoTime() - s;
      if (i % 2 == 0 && !r.matched()) {
        throw new IllegalStateException("a planted near-duplicate was not matched");
      }
    }
    report("matchHash through the service (worker hop + Redis labels)", svc);
    fresh.close();
    service.deleteBank(bank).await();
    service.close().await();
    worker.close().await();
  }

  static void report(String what, long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    System.out.printf(
        "%s: n=%d p50 %.3f ms, p99 %.3f ms, max %.3f ms%n",
        what,
        sorted.length,
        sorted[sorted.length / 2] / 1e6,
        sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] / 1e6,
        sorted[sorted.length - 1] / 1e6);
  }
}
