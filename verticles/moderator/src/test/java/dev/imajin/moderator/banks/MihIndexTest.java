package dev.imajin.moderator.banks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imajin.moderator.pdq.Hash256;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The multi-index finds exactly what a linear scan finds, through adds and removes. */
class MihIndexTest {
  static Hash256 random(Random rnd) {
    return Hash256.of(rnd.nextLong(), rnd.nextLong(), rnd.nextLong(), rnd.nextLong());
  }

  /** The hash with {@code bits} distinct random bits flipped. */
  static Hash256 flip(Hash256 h, int bits, Random rnd) {
    long[] w = {h.word(0), h.word(1), h.word(2), h.word(3)};
    java.util.Set<Integer> done = new java.util.HashSet<>();
    while (done.size() < bits) {
      int k = rnd.nextInt(256);
      if (done.add(k)) {
        w[k >>> 6] ^= 1L << (k & 63);
      }
    }
    return Hash256.of(w[0], w[1], w[2], w[3]);
  }

  static List<String> sorted(List<MihIndex.Hit> hits) {
    List<MihIndex.Hit> copy = new ArrayList<>(hits);
    copy.sort(Comparator.comparing((MihIndex.Hit h) -> h.hash().toHex()));
    return copy.stream().map(h -> h.hash().toHex() + ":" + h.distance()).toList();
  }

  @Test
  @DisplayName("search equals a linear scan at every threshold, with planted near-duplicates")
  void searchEqualsScan() {
    Random rnd = new Random(7);
    MihIndex index = new MihIndex();
    List<Hash256> queries = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      index.add(random(rnd));
    }
    for (int q = 0; q < 40; q++) {
      Hash256 query = random(rnd);
      queries.add(query);
      // near-duplicates at distances around every threshold tested, clustered in a few chunks too
      for (int d : new int[] {0, 1, 5, 15, 16, 17, 30, 31, 32, 33, 47, 48, 63, 64, 65}) {
        index.add(flip(query, d, rnd));
      }
    }
    for (Hash256 q : queries) {
      for (int t : new int[] {0, 1, 15, 16, 31, 32, 47, 48, 63, 64}) {
        List<MihIndex.Hit> found = index.search(q, t);
        assertThat(sorted(found)).as("threshold " + t).isEqualTo(sorted(index.scan(q, t)));
        assertThat(found).as("no duplicates").hasSameSizeAs(new java.util.HashSet<>(found));
      }
    }
    assertThat(index.search(queries.get(0), 31)).hasSizeGreaterThanOrEqualTo(8);
  }

  @Test
  @DisplayName("adds and removes keep the index equal to a plain set")
  void addsAndRemoves() {
    Random rnd = new Random(3);
    MihIndex index = new MihIndex();
    java.util.Set<Hash256> model = new java.util.HashSet<>();
    List<Hash256> pool = new ArrayList<>();
    for (int i = 0; i < 3_000; i++) {
      pool.add(random(rnd));
    }
    for (int step = 0; step < 30_000; step++) {
      Hash256 h = pool.get(rnd.nextInt(pool.size()));
      if (rnd.nextBoolean()) {
        assertThat(index.add(h)).isEqualTo(model.add(h));
      } else {
        assertThat(index.remove(h)).isEqualTo(model.remove(h));
      }
      assertThat(index.size()).isEqualTo(model.size());
    }
    for (Hash256 h : pool) {
      assertThat(index.contains(h)).isEqualTo(model.contains(h));
      List<MihIndex.Hit> exact = index.search(h, 0);
      assertThat(exact).hasSize(model.contains(h) ? 1 : 0);
    }
    for (int q = 0; q < 50; q++) {
      Hash256 query = flip(pool.get(q), 20, rnd);
      assertThat(sorted(index.search(query, 31))).isEqualTo(sorted(index.scan(query, 31)));
    }
  }
}
