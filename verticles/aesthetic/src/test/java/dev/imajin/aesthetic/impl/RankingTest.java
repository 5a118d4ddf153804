package dev.imajin.aesthetic.impl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imajin.contracts.aesthetic.RankResult;
import dev.imajin.contracts.aesthetic.RankedCandidate;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RankingTest {
  @Test
  @DisplayName("Best first; equal rewards keep the request's order; ranks count from 1")
  void orders() {
    RankResult result = Ranking.of(new double[] {0.1, 2, -1, 2, 0.1, 2}, null, "m", 5L);
    assertThat(result.ranking().stream().map(RankedCandidate::index))
        .containsExactly(1, 3, 5, 0, 4, 2);
    assertThat(result.ranking().stream().map(RankedCandidate::rank))
        .containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(result.bestIndex()).isEqualTo(1);
    assertThat(result.passing()).isNull();
    assertThat(result.ranking()).allSatisfy(c -> assertThat(c.passed()).isNull());
    assertThat(result.rewardModel()).isEqualTo("m");
    assertThat(result.elapsedMs()).isEqualTo(5L);
  }

  @Test
  @DisplayName("A candidate passes when its reward reaches min_reward; passing counts them")
  void passes() {
    RankResult result = Ranking.of(new double[] {0.5, 0.2, 0.7}, 0.5, "m", 0L);
    assertThat(result.ranking().stream().map(RankedCandidate::passed))
        .containsExactly(true, true, false);
    assertThat(result.passing()).isEqualTo(2);
    assertThat(Ranking.of(new double[] {-3}, 1.0, "m", 0L).passing()).isZero();
  }
}
