package dev.imajin.moderator.banks;

import dev.imajin.moderator.pdq.Hash256;
import java.util.ArrayList;
import java.util.List;

/**
 * An in-memory multi-index hash (Norouzi, Punjani and Fleet, "Fast search in Hamming space with
 * multi-index hashing", CVPR 2012) of PDQ hashes, for radius queries.
 *
 * <p>The 256 bits are cut into {@value #CHUNKS} disjoint chunks of 16 bits (the reference's 16
 * slots), and each chunk value indexes a bucket of the entries that have it. By pigeonhole, if
 * {@code d(q, h) <= t} then some chunk {@code c} has {@code d_c(q, h) <= floor(t / 16)}: otherwise
 * every chunk differs in at least {@code floor(t / 16) + 1} bits, and the total {@code d = sum d_c
 * >= 16 (floor(t / 16) + 1) > t}. So probing, in every chunk, each bucket whose 16-bit key lies
 * within {@code r = floor(t / 16)} of the query's chunk finds every entry within {@code t}; each
 * candidate is then checked on all 256 bits. At the default threshold 31, {@code r = 1}: 17 buckets
 * per chunk, 272 in all, about 4,000 candidates in a bank of a million random hashes. An entry is
 * reported only from the first chunk that finds it (earlier chunks are re-checked), so no result is
 * reported twice and no per-query state is shared. From {@code r = 4} (thresholds 64 and up) the
 * probes would touch about as many entries as the bank holds, and the index scans linearly instead.
 *
 * <p>Not thread-safe: {@link BankIndex} guards it with a read-write lock.
 */
final class MihIndex {
  static final int CHUNKS = 16;
  static final int LINEAR_FROM_RADIUS = 4;

  /** The 16-bit masks of each weight 0..16. */
  private static final int[][] MASKS_BY_WEIGHT = masksByWeight();

  /** Four words per slot, most significant first. */
  private long[] words = new long[4 * 1024];

  private boolean[] live = new boolean[1024];
  private int slots;
  private int size;
  private int[] free = new int[16];
  private int freeCount;

  /** Open addressing from a hash to its slot + 1; 0 is empty. Linear probing, no tombstones. */
  private int[] table = new int[2048];

  private final int[][][] buckets = new int[CHUNKS][65536][];
  private final int[][] counts = new int[CHUNKS][65536];

  int size() {
    return size;
  }

  boolean contains(Hash256 h) {
    return find(h) >= 0;
  }

  /** Adds a hash; false when it is there already. */
  boolean add(Hash256 h) {
    if (find(h) >= 0) {
      return false;
    }
    if (2 * (size + 1) > table.length) {
      rehash(table.length * 2);
    }
    int slot;
    if (freeCount > 0) {
      slot = free[--freeCount];
    } else {
      if (slots == live.length) {
        grow();
      }
      slot = slots++;
    }
    for (int i = 0; i < 4; i++) {
      words[4 * slot + i] = h.word(i);
    }
    live[slot] = true;
    size++;
    insertIntoTable(slot);
    for (int c = 0; c < CHUNKS; c++) {
      int key = chunk(slot, c);
      int[] b = buckets[c][key];
      int n = counts[c][key];
      if (b == null) {
        b = new int[4];
        buckets[c][key] = b;
      } else if (n == b.length) {
        b = java.util.Arrays.copyOf(b, n + (n >> 1) + 1);
        buckets[c][key] = b;
      }
      b[n] = slot;
      counts[c][key] = n + 1;
    }
    return true;
  }

  /** Removes a hash; false when it is not there. */
  boolean remove(Hash256 h) {
    int slot = find(h);
    if (slot < 0) {
      return false;
    }
    for (int c = 0; c < CHUNKS; c++) {
      int key = chunk(slot, c);
      int[] b = buckets[c][key];
      int n = counts[c][key];
      for (int i = 0; i < n; i++) {
        if (b[i] == slot) {
          b[i] = b[n - 1];
          break;
        }
      }
      counts[c][key] = n - 1;
      if (n - 1 == 0) {
        buckets[c][key] = null;
      }
    }
    deleteFromTable(slot);
    live[slot] = false;
    size--;
    if (freeCount == free.length) {
      free = java.util.Arrays.copyOf(free, free.length * 2);
    }
    free[freeCount++] = slot;
    return true;
  }

  /** A hash found by a query and its distance. */
  record Hit(Hash256 hash, int distance) {}

  /** Every entry within {@code threshold} bits of the query. */
  List<Hit> search(Hash256 q, int threshold) {
    List<Hit> hits = new ArrayList<>();
    long q0 = q.word(0);
    long q1 = q.word(1);
    long q2 = q.word(2);
    long q3 = q.word(3);
    int r = threshold / CHUNKS;
    if (r >= LINEAR_FROM_RADIUS) {
      for (int s = 0; s < slots; s++) {
        if (live[s]) {
          int d = distance(s, q0, q1, q2, q3);
          if (d <= threshold) {
            hits.add(new Hit(hashAt(s), d));
          }
        }
      }
      return hits;
    }
    int[] qc = new int[CHUNKS];
    for (int c = 0; c < CHUNKS; c++) {
      qc[c] = q.chunk(c);
    }
    for (int c = 0; c < CHUNKS; c++) {
      for (int w = 0; w <= r; w++) {
        for (int mask : MASKS_BY_WEIGHT[w]) {
          int key = qc[c] ^ mask;
          int n = counts[c][key];
          if (n == 0) {
            continue;
          }
          int[] b = buckets[c][key];
          for (int i = 0; i < n; i++) {
            int s = b[i];
            // the full distance first: most candidates fail it, and it is four popcounts
            int d = distance(s, q0, q1, q2, q3);
            if (d <= threshold && !foundEarlier(s, qc, c, r)) {
              hits.add(new Hit(hashAt(s), d));
            }
          }
        }
      }
    }
    return hits;
  }

  /** Every entry within {@code threshold} bits, by scanning them all (for tests and benchmarks). */
  List<Hit> scan(Hash256 q, int threshold) {
    List<Hit> hits = new ArrayList<>();
    for (int s = 0; s < slots; s++) {
      if (live[s]) {
        int d = distance(s, q.word(0), q.word(1), q.word(2), q.word(3));
        if (d <= threshold) {
          hits.add(new Hit(hashAt(s), d));
        }
      }
    }
    return hits;
  }

  private boolean foundEarlier(int s, int[] qc, int c, int r) {
    for (int e = 0; e < c; e++) {
      if (Integer.bitCount(chunk(s, e) ^ qc[e]) <= r) {
        return true;
      }
    }
    return false;
  }

  private int distance(int s, long q0, long q1, long q2, long q3) {
    int o = 4 * s;
    return Long.bitCount(words[o] ^ q0)
        + Long.bitCount(words[o + 1] ^ q1)
        + Long.bitCount(words[o + 2] ^ q2)
        + Long.bitCount(words[o + 3] ^ q3);
  }

  private Hash256 hashAt(int s) {
    int o = 4 * s;
    return Hash256.of(words[o], words[o + 1], words[o + 2], words[o + 3]);
  }

  private int chunk(int s, int c) {
    return (int) (words[4 * s + 3 - (c >>> 2)] >>> ((c & 3) << 4)) & 0xFFFF;
  }

  private void grow() {
    int n = live.length * 2;
    live = java.util.Arrays.copyOf(live, n);
    words = java.util.Arrays.copyOf(words, 4 * n);
  }

  private static int mix(long a, long b, long c, long d) {
    long h = a * 0x9E3779B97F4A7C15L ^ b * 0xC2B2AE3D27D4EB4FL ^ c * 0x165667B19E3779F9L ^ d;
    h ^= h >>> 31;
    h *= 0xD6E8FEB86659FD93L;
    return (int) (h ^ h >>> 32);
  }

  private int home(int slot) {
    int o = 4 * slot;
    return mix(words[o], words[o + 1], words[o + 2], words[o + 3]) & (table.length - 1);
  }

  private int find(Hash256 h) {
    long a = h.word(0);
    long b = h.word(1);
    long c = h.word(2);
    long d = h.word(3);
    int mask = table.length - 1;
    for (int i = mix(a, b, c, d) & mask; ; i = (i + 1) & mask) {
      int e = table[i];
      if (e == 0) {
        return -1;
      }
      int o = 4 * (e - 1);
      if (words[o] == a && words[o + 1] == b && words[o + 2] == c && words[o + 3] == d) {
        return e - 1;
      }
    }
  }

  private void insertIntoTable(int slot) {
    int mask = table.length - 1;
    int i = home(slot);
    while (table[i] != 0) {
      i = (i + 1) & mask;
    }
    table[i] = slot + 1;
  }

  /** Backward-shift deletion, which keeps every probe chain unbroken without tombstones. */
  private void deleteFromTable(int slot) {
    int mask = table.length - 1;
    int i = home(slot);
    while (table[i] != slot + 1) {
      i = (i + 1) & mask;
    }
    int gap = i;
    for (int j = (gap + 1) & mask; table[j] != 0; j = (j + 1) & mask) {
      int want = home(table[j] - 1);
      // move j back into the gap when its home is not in the cyclic range (gap, j]
      boolean inRange = gap <= j ? (want > gap && want <= j) : (want > gap || want <= j);
      if (!inRange) {
        table[gap] = table[j];
        gap = j;
      }
    }
    table[gap] = 0;
  }

  private void rehash(int capacity) {
    table = new int[capacity];
    for (int s = 0; s < slots; s++) {
      if (live[s]) {
        insertIntoTable(s);
      }
    }
  }

  private static int[][] masksByWeight() {
    List<List<Integer>> byWeight = new ArrayList<>();
    for (int w = 0; w <= 16; w++) {
      byWeight.add(new ArrayList<>());
    }
    for (int m = 0; m < 65536; m++) {
      byWeight.get(Integer.bitCount(m)).add(m);
    }
    int[][] out = new int[17][];
    for (int w = 0; w <= 16; w++) {
      out[w] = byWeight.get(w).stream().mapToInt(Integer::intValue).toArray();
    }
    return out;
  }
}
