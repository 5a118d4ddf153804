package dev.imajin.moderator.banks;

import dev.imajin.contracts.moderator.ModerationCategory;
import dev.imajin.moderator.pdq.Hash256;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's in-memory {@link BankIndex}es equal to Redis. At start it notes the newest
 * entry of the change stream, loads every bank (HSCAN, 10,000 hashes a page), then follows the
 * stream from the noted entry: polling every {@value #POLL_MS} ms, and at once after a change made
 * on this node. Replaying a change the load already saw is harmless (adding a present hash or
 * removing an absent one changes nothing), and the stream's order is the order of the writes, so
 * once it has caught up the index equals Redis. A change made on this node answers only after the
 * index has applied it (or {@code moderator.sync-wait-ms} has passed), so a match right after an
 * add sees it. When Redis cannot be read the poll retries; when the stream no longer holds the
 * entry it was following (it was trimmed past it, or Redis restarted empty), the node reloads every
 * bank.
 */
public final class BankSync {
  private static final Logger LOG = LoggerFactory.getLogger(BankSync.class);
  static final long POLL_MS = 100;
  static final int PAGE = 10_000;
  static final int BATCH = 1_000;

  private final Vertx vertx;
  private final BankStore store;
  private final WorkerExecutor worker;
  private volatile Map<String, BankIndex> banks = new ConcurrentHashMap<>();
  private String lastId = "0-0";
  private boolean polling;
  private boolean again;
  private long timer = -1;
  private volatile boolean closed;
  private volatile boolean loaded;

  /** The context every poll, reload and waiter runs on, so their state needs no locks. */
  private io.vertx.core.Context context;

  /** Waiters for a stream id, completed once the index has applied it. */
  private final TreeMap<StreamId, List<Promise<Void>>> waiters = new TreeMap<>();

  public BankSync(Vertx vertx, BankStore store, WorkerExecutor worker) {
    this.vertx = vertx;
    this.store = store;
    this.worker = worker;
  }

  /** The index of a bank, or null when this node does not know it. */
  public BankIndex bank(String id) {
    return banks.get(id);
  }

  /** Every bank this node knows. */
  public Map<String, BankIndex> banks() {
    return banks;
  }

  /** Whether the first load has finished. */
  public boolean loaded() {
    return loaded;
  }

  /**
   * Loads every bank and starts following the change stream, on the caller's context (the
   * verticle's), or a new one when the caller has none.
   */
  public Future<Void> start() {
    context = vertx.getOrCreateContext();
    Promise<Void> started = Promise.promise();
    context.runOnContext(
        x ->
            reload()
                .onSuccess(
                    v -> {
                      loaded = true;
                      timer = vertx.setPeriodic(POLL_MS, id -> poll());
                    })
                .onComplete(started));
    return started.future();
  }

  public void close() {
    closed = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** Completes once this node's index has applied the change with this stream id. */
  public Future<Void> await(String streamId, long timeoutMs) {
    if (streamId == null || streamId.isEmpty()) {
      return Future.succeededFuture();
    }
    StreamId id = StreamId.parse(streamId);
    Promise<Void> promise = Promise.promise();
    context.runOnContext(
        x -> {
          if (id.compareTo(StreamId.parse(lastId)) <= 0) {
            promise.tryComplete();
            return;
          }
          waiters.computeIfAbsent(id, k -> new ArrayList<>()).add(promise);
          if (timeoutMs > 0) {
            context
                .owner()
                .setTimer(
                    timeoutMs,
                    t -> {
                      if (promise.tryComplete()) {
                        LOG.warn(
                            "bank change {} not applied here within {} ms", streamId, timeoutMs);
                      }
                    });
          } else {
            promise.tryComplete();
          }
          poll();
        });
    return promise.future();
  }

  private Future<Void> reload() {
    return store
        .lastChange()
        .compose(
            last ->
                store
                    .ids()
                    .compose(
                        ids -> {
                          Map<String, BankIndex> fresh = new ConcurrentHashMap<>();
                          Future<Void> chain = Future.succeededFuture();
                          for (String id : ids) {
                            chain = chain.compose(v -> loadBank(id, fresh));
                          }
                          return chain.map(
                              v -> {
                                banks = fresh;
                                lastId = last;
                                return null;
                              });
                        }));
  }

  private Future<Void> loadBank(String id, Map<String, BankIndex> into) {
    return store
        .meta(id)
        .compose(
            meta -> {
              if (meta == null) {
                return Future.succeededFuture();
              }
              BankIndex index = new BankIndex(id, meta.category());
              into.put(id, index);
              return loadPage(index, "0", true);
            });
  }

  private Future<Void> loadPage(BankIndex index, String cursor, boolean first) {
    if (!first && cursor.equals("0")) {
      return Future.succeededFuture();
    }
    return store
        .scan(index.id(), cursor, PAGE)
        .compose(
            page ->
                worker
                    .executeBlocking(() -> index.addAll(parse(page.hashes())), true)
                    .compose(n -> loadPage(index, page.cursor(), false)));
  }

  private static List<Hash256> parse(List<String> hex) {
    List<Hash256> out = new ArrayList<>(hex.size());
    for (String h : hex) {
      out.add(Hash256.fromHex(h));
    }
    return out;
  }

  /** Reads and applies the changes after {@code lastId}; one poll at a time. */
  void poll() {
    if (closed) {
      return;
    }
    if (polling) {
      again = true;
      return;
    }
    polling = true;
    again = false;
    String from = lastId;
    store
        .changesFrom(from, BATCH + 1)
        .compose(
            entries -> {
              if (!from.equals("0-0") && (entries.isEmpty() || !entries.get(0).id().equals(from))) {
                LOG.warn("the bank change stream no longer holds {}; reloading every bank", from);
                return reload().map(true);
              }
              List<BankStore.Entry> fresh =
                  entries.isEmpty() || !entries.get(0).id().equals(from)
                      ? entries
                      : entries.subList(1, entries.size());
              if (fresh.isEmpty()) {
                return Future.succeededFuture(false);
              }
              return worker
                  .executeBlocking(
                      () -> {
                        apply(fresh);
                        return null;
                      },
                      true)
                  .map(
                      v -> {
                        lastId = fresh.get(fresh.size() - 1).id();
                        return fresh.size() >= BATCH;
                      });
            })
        .onComplete(
            ar -> {
              polling = false;
              if (ar.failed()) {
                LOG.warn("reading the bank change stream failed: {}", ar.cause().toString());
              } else {
                release();
              }
              if (ar.succeeded() && (ar.result() || again)) {
                poll();
              }
            });
  }

  private void release() {
    StreamId applied = StreamId.parse(lastId);
    Iterator<Map.Entry<StreamId, List<Promise<Void>>>> it =
        waiters.headMap(applied, true).entrySet().iterator();
    while (it.hasNext()) {
      it.next().getValue().forEach(Promise::tryComplete);
      it.remove();
    }
  }

  private void apply(List<BankStore.Entry> entries) {
    for (BankStore.Entry e : entries) {
      switch (e.op()) {
        case "create" ->
            banks.putIfAbsent(
                e.bank(), new BankIndex(e.bank(), ModerationCategory.valueOf(e.category())));
        case "delete" -> banks.remove(e.bank());
        case "add" -> {
          BankIndex index = banks.get(e.bank());
          if (index != null) {
            index.addAll(parse(e.hashes()));
          }
        }
        case "remove" -> {
          BankIndex index = banks.get(e.bank());
          if (index != null) {
            index.removeAll(parse(e.hashes()));
          }
        }
        default -> LOG.warn("unknown bank change {} ({})", e.op(), e.id());
      }
    }
  }

  /** A stream entry id, ordered as Redis orders them. */
  record StreamId(long ms, long seq) implements Comparable<StreamId> {
    static StreamId parse(String id) {
      int dash = id.indexOf('-');
      return new StreamId(
          Long.parseLong(id.substring(0, dash)), Long.parseLong(id.substring(dash + 1)));
    }

    @Override
    public int compareTo(StreamId o) {
      int c = Long.compare(ms, o.ms);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }
}
