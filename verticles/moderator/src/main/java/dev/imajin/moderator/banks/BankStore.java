package dev.imajin.moderator.banks;

import dev.imajin.contracts.moderator.ModerationCategory;
import dev.imajin.runtime.RedisClients;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The hash banks in Redis, the durable copy every node's {@link BankIndex} is built from.
 *
 * <ul>
 *   <li>{@code imajin:moderator:banks}: a set of bank ids;
 *   <li>{@code imajin:moderator:bank:<id>}: a hash of the bank's description, category, created_at
 *       and updated_at;
 *   <li>{@code imajin:moderator:bank:<id>:hashes}: a hash from each PDQ hash (lower-case hex) to
 *       its label ({@code ""} for none);
 *   <li>{@code imajin:moderator:bank-changes}: a stream of every change (create, delete, add and
 *       remove with the hashes that actually changed), trimmed to about {@code
 *       moderator.change-log-max-entries} entries, which every node follows.
 * </ul>
 *
 * Each change is one Lua script, so the data and its stream entry are written together or not at
 * all. Thread-safe.
 */
public final class BankStore {
  static final String PREFIX = "imajin:moderator:";
  static final String BANKS = PREFIX + "banks";
  static final String CHANGES = PREFIX + "bank-changes";

  private static final String CREATE =
      """
      if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 1 then return false end
      redis.call('SADD', KEYS[1], ARGV[1])
      redis.call('HSET', KEYS[2], 'description', ARGV[2], 'category', ARGV[3],
        'created_at', ARGV[4], 'updated_at', ARGV[4])
      return redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[5], '*',
        'op', 'create', 'bank', ARGV[1], 'category', ARGV[3])
      """;

  private static final String DELETE =
      """
      if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 0 then return false end
      local n = redis.call('HLEN', KEYS[3])
      redis.call('UNLINK', KEYS[2], KEYS[3])
      redis.call('SREM', KEYS[1], ARGV[1])
      local id = redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[2], '*',
        'op', 'delete', 'bank', ARGV[1])
      return {n, id}
      """;

  private static final String ADD =
      """
      if redis.call('EXISTS', KEYS[1]) == 0 then return false end
      local changed = {}
      for i = 4, #ARGV, 2 do
        if redis.call('HSETNX', KEYS[2], ARGV[i], ARGV[i + 1]) == 1 then
          changed[#changed + 1] = ARGV[i]
        end
      end
      local id = ''
      if #changed > 0 then
        redis.call('HSET', KEYS[1], 'updated_at', ARGV[2])
        id = redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[3], '*',
          'op', 'add', 'bank', ARGV[1], 'hashes', table.concat(changed, ' '))
      end
      return {#changed, redis.call('HLEN', KEYS[2]), id}
      """;

  private static final String REMOVE =
      """
      if redis.call('EXISTS', KEYS[1]) == 0 then return false end
      local changed = {}
      for i = 4, #ARGV do
        if redis.call('HDEL', KEYS[2], ARGV[i]) == 1 then
          changed[#changed + 1] = ARGV[i]
        end
      end
      local id = ''
      if #changed > 0 then
        redis.call('HSET', KEYS[1], 'updated_at', ARGV[2])
        id = redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[3], '*',
          'op', 'remove', 'bank', ARGV[1], 'hashes', table.concat(changed, ' '))
      end
      return {#changed, redis.call('HLEN', KEYS[2]), id}
      """;

  private final Redis redis;
  private final int changeLogMaxEntries;

  public BankStore(Redis redis, int changeLogMaxEntries) {
    this.redis = redis;
    this.changeLogMaxEntries = changeLogMaxEntries;
  }

  static String metaKey(String bank) {
    return PREFIX + "bank:" + bank;
  }

  static String hashesKey(String bank) {
    return PREFIX + "bank:" + bank + ":hashes";
  }

  /** A bank's record as Redis holds it. */
  public record Meta(
      String id,
      String description,
      ModerationCategory category,
      long hashCount,
      Instant createdAt,
      Instant updatedAt) {}

  /** A change's effect: how many hashes changed, the bank's size now, the stream entry or "". */
  public record Change(long changed, long hashCount, String streamId) {}

  /** Creates a bank; returns its stream entry id, or null when the bank exists. */
  public Future<String> create(
      String id, String description, ModerationCategory category, Instant now) {
    return redis
        .send(
            Request.cmd(Command.EVAL)
                .arg(CREATE)
                .arg(3)
                .arg(BANKS)
                .arg(metaKey(id))
                .arg(CHANGES)
                .arg(id)
                .arg(description == null ? "" : description)
                .arg(category.name())
                .arg(now.toString())
                .arg(changeLogMaxEntries))
        .map(r -> r == null ? null : r.toString());
  }

  /** Deletes a bank; returns how many hashes it held and the stream id, or null when absent. */
  public Future<Change> delete(String id) {
    return redis
        .send(
            Request.cmd(Command.EVAL)
                .arg(DELETE)
                .arg(4)
                .arg(BANKS)
                .arg(metaKey(id))
                .arg(hashesKey(id))
                .arg(CHANGES)
                .arg(id)
                .arg(changeLogMaxEntries))
        .map(r -> r == null ? null : new Change(r.get(0).toLong(), 0, r.get(1).toString()));
  }

  /**
   * Adds hashes (lower-case hex) with labels ({@code ""} for none); hashes already in the bank keep
   * theirs. Returns null when the bank does not exist.
   */
  public Future<Change> add(String bank, List<String> hashes, List<String> labels, Instant now) {
    Request req =
        Request.cmd(Command.EVAL)
            .arg(ADD)
            .arg(3)
            .arg(metaKey(bank))
            .arg(hashesKey(bank))
            .arg(CHANGES)
            .arg(bank)
            .arg(now.toString())
            .arg(changeLogMaxEntries);
    for (int i = 0; i < hashes.size(); i++) {
      req.arg(hashes.get(i)).arg(labels.get(i) == null ? "" : labels.get(i));
    }
    return redis.send(req).map(BankStore::change);
  }

  /** Removes hashes (lower-case hex). Returns null when the bank does not exist. */
  public Future<Change> remove(String bank, List<String> hashes, Instant now) {
    Request req =
        Request.cmd(Command.EVAL)
            .arg(REMOVE)
            .arg(3)
            .arg(metaKey(bank))
            .arg(hashesKey(bank))
            .arg(CHANGES)
            .arg(bank)
            .arg(now.toString())
            .arg(changeLogMaxEntries);
    for (String h : hashes) {
      req.arg(h);
    }
    return redis.send(req).map(BankStore::change);
  }

  private static Change change(Response r) {
    return r == null ? null : new Change(r.get(0).toLong(), r.get(1).toLong(), r.get(2).toString());
  }

  /** The bank's record, or null when it does not exist. */
  public Future<Meta> meta(String id) {
    return Future.all(
            redis.send(Request.cmd(Command.HGETALL).arg(metaKey(id))),
            redis.send(Request.cmd(Command.HLEN).arg(hashesKey(id))))
        .map(
            all -> {
              Response fields = all.resultAt(0);
              Map<String, String> m = RedisClients.fields(fields);
              if (m.get("category") == null) {
                return null;
              }
              long count = all.<Response>resultAt(1).toLong();
              String description = m.get("description");
              return new Meta(
                  id,
                  description == null || description.isEmpty() ? null : description,
                  ModerationCategory.valueOf(m.get("category")),
                  count,
                  Instant.parse(m.get("created_at")),
                  Instant.parse(m.get("updated_at")));
            });
  }

  /** The bank ids, sorted. */
  public Future<List<String>> ids() {
    return redis
        .send(Request.cmd(Command.SMEMBERS).arg(BANKS))
        .map(
            r -> {
              List<String> ids = new ArrayList<>();
              if (r != null) {
                for (Response id : r) {
                  ids.add(id.toString());
                }
              }
              ids.sort(null);
              return ids;
            });
  }

  /** Labels of the given hashes of a bank; absent hashes and empty labels are null. */
  public Future<List<String>> labels(String bank, List<String> hashes) {
    if (hashes.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    Request req = Request.cmd(Command.HMGET).arg(hashesKey(bank));
    hashes.forEach(req::arg);
    return redis
        .send(req)
        .map(
            r -> {
              List<String> labels = new ArrayList<>();
              for (int i = 0; i < hashes.size(); i++) {
                Response v = r.get(i);
                labels.add(v == null || v.toString().isEmpty() ? null : v.toString());
              }
              return labels;
            });
  }

  /** One page of a bank's hashes (keys only), from an HSCAN cursor; "0" starts and ends. */
  public record Page(String cursor, List<String> hashes) {}

  public Future<Page> scan(String bank, String cursor, int count) {
    return redis
        .send(Request.cmd(Command.HSCAN).arg(hashesKey(bank)).arg(cursor).arg("COUNT").arg(count))
        .map(
            r -> {
              Response items = r.get(1);
              List<String> hashes = new ArrayList<>(items.size() / 2);
              for (int i = 0; i < items.size(); i += 2) {
                hashes.add(items.get(i).toString());
              }
              return new Page(r.get(0).toString(), hashes);
            });
  }

  /** The id of the newest change, or "0-0" when there is none. */
  public Future<String> lastChange() {
    return redis
        .send(Request.cmd(Command.XREVRANGE).arg(CHANGES).arg("+").arg("-").arg("COUNT").arg(1))
        .map(r -> r == null || r.size() == 0 ? "0-0" : r.get(0).get(0).toString());
  }

  /** A change read back from the stream. */
  public record Entry(String id, String op, String bank, String category, List<String> hashes) {}

  /** Up to {@code count} changes from {@code from} (inclusive), oldest first. */
  public Future<List<Entry>> changesFrom(String from, int count) {
    return redis
        .send(Request.cmd(Command.XRANGE).arg(CHANGES).arg(from).arg("+").arg("COUNT").arg(count))
        .map(
            r -> {
              List<Entry> entries = new ArrayList<>();
              if (r == null) {
                return entries;
              }
              for (Response e : r) {
                Map<String, String> f = RedisClients.fields(e.get(1));
                String hashes = f.get("hashes");
                entries.add(
                    new Entry(
                        e.get(0).toString(),
                        f.get("op"),
                        f.get("bank"),
                        f.get("category"),
                        hashes == null || hashes.isEmpty()
                            ? List.of()
                            : List.of(hashes.split(" "))));
              }
              return entries;
            });
  }
}
