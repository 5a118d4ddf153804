package dev.imajin.moderator.impl;

import dev.imajin.contracts.ImajinException;
import dev.imajin.contracts.common.FieldError;
import dev.imajin.contracts.moderator.AddHashesRequest;
import dev.imajin.contracts.moderator.BankDeletion;
import dev.imajin.contracts.moderator.BankHashEntry;
import dev.imajin.contracts.moderator.BankList;
import dev.imajin.contracts.moderator.CreateBankRequest;
import dev.imajin.contracts.moderator.DihedralVariant;
import dev.imajin.contracts.moderator.HashBank;
import dev.imajin.contracts.moderator.HashChangeResult;
import dev.imajin.contracts.moderator.HashImageRequest;
import dev.imajin.contracts.moderator.HashMatch;
import dev.imajin.contracts.moderator.MatchHashRequest;
import dev.imajin.contracts.moderator.MatchImageRequest;
import dev.imajin.contracts.moderator.MatchResult;
import dev.imajin.contracts.moderator.PdqHash;
import dev.imajin.contracts.moderator.PdqVariant;
import dev.imajin.contracts.moderator.RemoveHashesRequest;
import dev.imajin.moderator.banks.BankIndex;
import dev.imajin.moderator.banks.BankStore;
import dev.imajin.moderator.banks.BankSync;
import dev.imajin.moderator.pdq.Hash256;
import dev.imajin.moderator.pdq.Pdq;
import dev.imajin.moderator.pdq.PdqImages;
import dev.imajin.runtime.config.ImajinConfig;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * PDQ hashing and the hash banks: hashing (decoding included) and index searches run on the
 * moderator's worker pool; bank writes go to Redis as Lua scripts (see {@link BankStore}) and
 * answer once this node's index has applied them (see {@link BankSync}).
 */
final class HashBanks {
  static final String MAX_PIXELS_KEY = "moderator.max-input-pixels";
  static final String MAX_IMPORT_KEY = "moderator.max-import-hashes";
  static final int IMPORT_CHUNK = 5_000;
  static final int IMPORT_IN_FLIGHT = 4;
  static final int MAX_LABEL = 256;
  static final int MAX_REPORTED_ERRORS = 100;

  private final ImajinConfig.Moderator config;
  private final BankStore store;
  private final BankSync sync;
  private final WorkerExecutor worker;

  HashBanks(ImajinConfig.Moderator config, BankStore store, BankSync sync, WorkerExecutor worker) {
    this.config = config;
    this.store = store;
    this.sync = sync;
    this.worker = worker;
  }

  // ---------------------------------------------------------------- hashing

  Future<PdqHash> hashImage(HashImageRequest request) {
    boolean dihedral = Boolean.TRUE.equals(request.dihedral());
    return hash(request.image()).map(r -> pdqHash(r, dihedral));
  }

  private Future<Pdq.Result> hash(dev.imajin.contracts.common.ImageData image) {
    return worker.executeBlocking(
        () -> PdqImages.hash(image, "image", config.maxInputPixels(), MAX_PIXELS_KEY), false);
  }

  private static PdqHash pdqHash(Pdq.Result r, boolean dihedral) {
    List<PdqVariant> variants = null;
    if (dihedral) {
      variants = new ArrayList<>();
      for (Map.Entry<DihedralVariant, Hash256> e : r.variants().entrySet()) {
        variants.add(new PdqVariant(e.getKey(), e.getValue().toHex()));
      }
    }
    return new PdqHash(r.hash().toHex(), r.quality(), variants);
  }

  // ---------------------------------------------------------------- banks

  Future<HashBank> createBank(CreateBankRequest request) {
    if (request.category() == null) {
      return Future.failedFuture(
          ImajinException.validation(
              "category is required", List.of(new FieldError("/category", "is required"))));
    }
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    return store
        .create(request.id(), request.description(), request.category(), now)
        .compose(
            streamId -> {
              if (streamId == null) {
                return Future.failedFuture(
                    ImajinException.conflict("bank '" + request.id() + "' exists already"));
              }
              return sync.await(streamId, config.syncWaitMs())
                  .map(
                      v ->
                          new HashBank(
                              request.id(),
                              blankToNull(request.description()),
                              request.category(),
                              0,
                              now,
                              now));
            });
  }

  Future<BankList> listBanks() {
    return store
        .ids()
        .compose(
            ids -> {
              List<Future<BankStore.Meta>> metas = new ArrayList<>();
              for (String id : ids) {
                metas.add(store.meta(id));
              }
              return Future.all(metas)
                  .map(
                      all -> {
                        List<HashBank> banks = new ArrayList<>();
                        for (int i = 0; i < metas.size(); i++) {
                          BankStore.Meta m = all.resultAt(i);
                          if (m != null) {
                            banks.add(bank(m));
                          }
                        }
                        return new BankList(banks);
                      });
            });
  }

  Future<HashBank> getBank(String bankId) {
    return existing(bankId).map(HashBanks::bank);
  }

  private Future<BankStore.Meta> existing(String bankId) {
    return store
        .meta(bankId)
        .compose(
            m ->
                m == null
                    ? Future.failedFuture(ImajinException.notFound("bank", bankId))
                    : Future.succeededFuture(m));
  }

  private static HashBank bank(BankStore.Meta m) {
    return new HashBank(
        m.id(), m.description(), m.category(), m.hashCount(), m.createdAt(), m.updatedAt());
  }

  Future<BankDeletion> deleteBank(String bankId) {
    return store
        .delete(bankId)
        .compose(
            change -> {
              if (change == null) {
                return Future.failedFuture(ImajinException.notFound("bank", bankId));
              }
              Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
              return sync.await(change.streamId(), config.syncWaitMs())
                  .map(v -> new BankDeletion(bankId, change.changed(), now));
            });
  }

  Future<HashChangeResult> addHashes(String bankId, AddHashesRequest request) {
    List<String> hashes = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    List<FieldError> errors = new ArrayList<>();
    List<BankHashEntry> entries = request.hashes();
    for (int i = 0; i < entries.size(); i++) {
      BankHashEntry e = entries.get(i);
      if (e == null || !Hash256.isHex(e.hash())) {
        errors.add(new FieldError("/hashes/" + i + "/hash", "must be 64 hexadecimal characters"));
        continue;
      }
      if (e.label() != null && e.label().length() > MAX_LABEL) {
        errors.add(new FieldError("/hashes/" + i + "/label", "must be at most 256 characters"));
        continue;
      }
      hashes.add(e.hash().toLowerCase(Locale.ROOT));
      labels.add(blankToNull(e.label()));
    }
    if (!errors.isEmpty()) {
      return Future.failedFuture(invalid("hashes", errors));
    }
    return write(bankId, hashes, labels, true);
  }

  Future<HashChangeResult> removeHashes(String bankId, RemoveHashesRequest request) {
    List<String> hashes = new ArrayList<>();
    List<FieldError> errors = new ArrayList<>();
    for (int i = 0; i < request.hashes().size(); i++) {
      String h = request.hashes().get(i);
      if (!Hash256.isHex(h)) {
        errors.add(new FieldError("/hashes/" + i, "must be 64 hexadecimal characters"));
      } else {
        hashes.add(h.toLowerCase(Locale.ROOT));
      }
    }
    if (!errors.isEmpty()) {
      return Future.failedFuture(invalid("hashes", errors));
    }
    return write(bankId, hashes, null, false);
  }

  Future<HashChangeResult> importHashes(String bankId, String text) {
    List<String> hashes = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    List<FieldError> errors = new ArrayList<>();
    int errorCount = 0;
    String[] lines = (text == null ? "" : text).split("\n", -1);
    for (int n = 0; n < lines.length; n++) {
      String line = lines[n].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String problem = null;
      String label = null;
      if (line.length() < 64 || !Hash256.isHex(line.substring(0, 64))) {
        problem = "does not start with a PDQ hash of 64 hexadecimal characters";
      } else if (line.length() > 64) {
        char sep = line.charAt(64);
        if (sep != ',' && !Character.isWhitespace(sep)) {
          problem = "the hash must be followed by whitespace or a comma and a label";
        } else {
          label = blankToNull(line.substring(65).strip());
          if (label != null && label.length() > MAX_LABEL) {
            problem = "the label is longer than 256 characters";
          }
        }
      }
      if (problem != null) {
        errorCount++;
        if (errors.size() < MAX_REPORTED_ERRORS) {
          errors.add(new FieldError("/line/" + (n + 1), problem));
        }
        continue;
      }
      hashes.add(line.substring(0, 64).toLowerCase(Locale.ROOT));
      labels.add(label);
    }
    if (!errors.isEmpty()) {
      return Future.failedFuture(
          ImajinException.validation(
              errorCount
                  + " line(s) of the import are not a PDQ hash with an optional label; nothing"
                  + " was imported"
                  + (errorCount > errors.size() ? " (the first " + errors.size() + " named)" : ""),
              errors));
    }
    if (hashes.size() > config.maxImportHashes()) {
      return Future.failedFuture(
          ImajinException.payloadTooLarge(
              "the import holds "
                  + hashes.size()
                  + " hashes; the limit is "
                  + config.maxImportHashes()
                  + " ("
                  + MAX_IMPORT_KEY
                  + ")"));
    }
    return write(bankId, hashes, labels, true);
  }

  private static ImajinException invalid(String field, List<FieldError> errors) {
    return ImajinException.validation(
        errors.size() + " of " + field + " are malformed; nothing was changed", errors);
  }

  /** Adds or removes in chunks of {@value #IMPORT_CHUNK}, a few chunks in flight at once. */
  private Future<HashChangeResult> write(
      String bankId, List<String> hashes, List<String> labels, boolean add) {
    return existing(bankId)
        .compose(
            meta -> {
              Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
              List<Future<BankStore.Change>> chunks = new ArrayList<>();
              Future<Void> window = Future.succeededFuture();
              List<Future<BankStore.Change>> inFlight = new ArrayList<>();
              for (int from = 0; from < Math.max(1, hashes.size()); from += IMPORT_CHUNK) {
                int to = Math.min(hashes.size(), from + IMPORT_CHUNK);
                List<String> part = hashes.subList(from, to);
                List<String> partLabels = labels == null ? null : labels.subList(from, to);
                Future<Void> gate = window;
                Future<BankStore.Change> chunk =
                    gate.compose(
                        v ->
                            add
                                ? store.add(bankId, part, partLabels, now)
                                : store.remove(bankId, part, now));
                chunks.add(chunk);
                inFlight.add(chunk);
                if (inFlight.size() == IMPORT_IN_FLIGHT) {
                  window = Future.all(new ArrayList<>(inFlight)).mapEmpty();
                  inFlight.clear();
                }
              }
              return Future.all(chunks)
                  .compose(
                      all -> {
                        long changed = 0;
                        long count = 0;
                        String last = "";
                        for (int i = 0; i < chunks.size(); i++) {
                          BankStore.Change c = all.resultAt(i);
                          if (c == null) {
                            return Future.failedFuture(ImajinException.notFound("bank", bankId));
                          }
                          changed += c.changed();
                          // the bank's size after the last chunk: the largest after adds, the
                          // smallest after removes
                          count =
                              i == 0
                                  ? c.hashCount()
                                  : add
                                      ? Math.max(count, c.hashCount())
                                      : Math.min(count, c.hashCount());
                          if (!c.streamId().isEmpty()) {
                            last = maxId(last, c.streamId());
                          }
                        }
                        HashChangeResult result =
                            new HashChangeResult(
                                bankId,
                                add ? changed : 0,
                                add ? 0 : changed,
                                hashes.size() - changed,
                                count);
                        return sync.await(last, config.syncWaitMs()).map(v -> result);
                      });
            });
  }

  private static String maxId(String a, String b) {
    if (a.isEmpty()) {
      return b;
    }
    String[] x = a.split("-");
    String[] y = b.split("-");
    int c = Long.compare(Long.parseLong(x[0]), Long.parseLong(y[0]));
    if (c == 0) {
      c = Long.compare(Long.parseLong(x[1]), Long.parseLong(y[1]));
    }
    return c >= 0 ? a : b;
  }

  // ---------------------------------------------------------------- matching

  Future<MatchResult> matchImage(MatchImageRequest request) {
    boolean dihedral = Boolean.TRUE.equals(request.dihedral());
    return banks(request.banks())
        .compose(
            banks ->
                hash(request.image())
                    .compose(
                        r -> {
                          Map<DihedralVariant, Hash256> queries = new LinkedHashMap<>();
                          if (dihedral) {
                            queries.putAll(r.variants());
                          } else {
                            queries.put(DihedralVariant.ORIGINAL, r.hash());
                          }
                          return match(
                              pdqHash(r, dihedral),
                              r.quality(),
                              queries,
                              banks,
                              or(request.threshold(), MatchImageRequest.DEFAULT_THRESHOLD),
                              or(request.qualityFloor(), MatchImageRequest.DEFAULT_QUALITY_FLOOR),
                              or(request.maxMatches(), MatchImageRequest.DEFAULT_MAX_MATCHES));
                        }));
  }

  Future<MatchResult> matchHash(MatchHashRequest request) {
    List<FieldError> errors = new ArrayList<>();
    if (!Hash256.isHex(request.hash())) {
      errors.add(new FieldError("/hash", "must be 64 hexadecimal characters"));
    }
    Map<DihedralVariant, Hash256> queries = new LinkedHashMap<>();
    List<PdqVariant> variants = request.variants() == null ? List.of() : request.variants();
    for (int i = 0; i < variants.size(); i++) {
      PdqVariant v = variants.get(i);
      if (v == null || v.variant() == null || !Hash256.isHex(v.hash())) {
        errors.add(new FieldError("/variants/" + i + "/hash", "must be 64 hexadecimal characters"));
      }
    }
    if (!errors.isEmpty()) {
      return Future.failedFuture(
          ImajinException.validation("a hash is malformed; a PDQ hash is 64 hex digits", errors));
    }
    queries.put(DihedralVariant.ORIGINAL, Hash256.fromHex(request.hash()));
    for (PdqVariant v : variants) {
      queries.putIfAbsent(v.variant(), Hash256.fromHex(v.hash()));
    }
    PdqHash pdq =
        new PdqHash(
            request.hash().toLowerCase(Locale.ROOT),
            request.quality() == null ? 0 : request.quality(),
            variants.isEmpty()
                ? null
                : variants.stream()
                    .map(v -> new PdqVariant(v.variant(), v.hash().toLowerCase(Locale.ROOT)))
                    .toList());
    return banks(request.banks())
        .compose(
            banks ->
                match(
                    pdq,
                    request.quality(),
                    queries,
                    banks,
                    or(request.threshold(), MatchHashRequest.DEFAULT_THRESHOLD),
                    or(request.qualityFloor(), MatchHashRequest.DEFAULT_QUALITY_FLOOR),
                    or(request.maxMatches(), MatchHashRequest.DEFAULT_MAX_MATCHES)));
  }

  private static int or(Integer value, int fallback) {
    return value == null ? fallback : value;
  }

  /**
   * The banks to search: every bank this node holds when none are named; a named bank that exists
   * neither here nor in Redis is a 404 (one that exists in Redis but has not reached this node yet
   * is searched as empty).
   */
  private Future<List<String>> banks(List<String> named) {
    if (named == null) {
      List<String> all = new ArrayList<>(sync.banks().keySet());
      all.sort(null);
      return Future.succeededFuture(all);
    }
    List<Future<?>> checks = new ArrayList<>();
    for (String id : named) {
      checks.add(sync.bank(id) != null ? Future.succeededFuture() : existing(id));
    }
    return Future.all(checks).map(v -> List.copyOf(named));
  }

  private Future<MatchResult> match(
      PdqHash pdq,
      Integer quality,
      Map<DihedralVariant, Hash256> queries,
      List<String> bankIds,
      int threshold,
      int qualityFloor,
      int maxMatches) {
    if (quality != null && quality < qualityFloor) {
      return Future.succeededFuture(
          new MatchResult(pdq, false, true, threshold, qualityFloor, bankIds, List.of()));
    }
    return worker
        .executeBlocking(() -> search(queries, bankIds, threshold, maxMatches), false)
        .compose(found -> withLabels(found))
        .map(
            matches ->
                new MatchResult(
                    pdq, !matches.isEmpty(), false, threshold, qualityFloor, bankIds, matches));
  }

  private List<HashMatch> search(
      Map<DihedralVariant, Hash256> queries, List<String> bankIds, int threshold, int max) {
    Map<String, HashMatch> best = new HashMap<>();
    for (String id : bankIds) {
      BankIndex index = sync.bank(id);
      if (index == null) {
        continue;
      }
      for (Map.Entry<DihedralVariant, Hash256> q : queries.entrySet()) {
        for (BankIndex.Hit hit : index.search(q.getValue(), threshold)) {
          String key = id + "/" + hit.hash().toHex();
          HashMatch m =
              new HashMatch(
                  id, hit.hash().toHex(), hit.distance(), null, index.category(), q.getKey());
          best.merge(key, m, (a, b) -> b.distance() < a.distance() ? b : a);
        }
      }
    }
    List<HashMatch> all = new ArrayList<>(best.values());
    all.sort(
        Comparator.comparingInt(HashMatch::distance)
            .thenComparing(HashMatch::bankId)
            .thenComparing(HashMatch::hash));
    return all.size() > max ? List.copyOf(all.subList(0, max)) : all;
  }

  private Future<List<HashMatch>> withLabels(List<HashMatch> matches) {
    Map<String, List<String>> byBank = new LinkedHashMap<>();
    for (HashMatch m : matches) {
      byBank.computeIfAbsent(m.bankId(), k -> new ArrayList<>()).add(m.hash());
    }
    Map<String, Future<List<String>>> lookups = new LinkedHashMap<>();
    byBank.forEach((bank, hashes) -> lookups.put(bank, store.labels(bank, hashes)));
    return Future.all(new ArrayList<>(lookups.values()))
        .map(
            v -> {
              Map<String, String> labels = new HashMap<>();
              byBank.forEach(
                  (bank, hashes) -> {
                    List<String> l = lookups.get(bank).result();
                    for (int i = 0; i < hashes.size(); i++) {
                      labels.put(bank + "/" + hashes.get(i), l.get(i));
                    }
                  });
              return matches.stream()
                  .map(
                      m ->
                          new HashMatch(
                              m.bankId(),
                              m.hash(),
                              m.distance(),
                              labels.get(m.bankId() + "/" + m.hash()),
                              m.category(),
                              m.variant()))
                  .toList();
            });
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
