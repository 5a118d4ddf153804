package dev.imajin.aesthetic.impl;

import dev.imajin.contracts.aesthetic.RankResult;
import dev.imajin.contracts.aesthetic.RankedCandidate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Orders candidates by reward, highest first; equal rewards keep the request's order. With a
 * minimum reward, each candidate says whether it reaches it and the result counts those that do.
 */
final class Ranking {
  private Ranking() {}

  /**
   * @param rewards each candidate's reward, by its index in the request
   * @param minReward the reward a candidate must reach to pass, or null
   */
  static RankResult of(double[] rewards, Double minReward, String model, long elapsedMs) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < rewards.length; i++) {
      order.add(i);
    }
    // List.sort is stable: ties keep the request's order.
    order.sort(Comparator.comparingDouble((Integer i) -> rewards[i]).reversed());
    List<RankedCandidate> ranking = new ArrayList<>();
    int passing = 0;
    for (int rank = 0; rank < order.size(); rank++) {
      int index = order.get(rank);
      Boolean passed = minReward == null ? null : rewards[index] >= minReward;
      passing += Boolean.TRUE.equals(passed) ? 1 : 0;
      ranking.add(new RankedCandidate(index, rank + 1, rewards[index], null, passed));
    }
    return new RankResult(
        ranking, order.get(0), minReward == null ? null : passing, model, null, elapsedMs);
  }
}
