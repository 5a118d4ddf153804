package dev.imajin.contracts.aesthetic;

import dev.imajin.contracts.BusMessage;
import java.util.List;

/** The candidates of a {@link RankRequest}, best first. */
public record RankResult(
    List<RankedCandidate> ranking,
    int bestIndex,
    Integer passing,
    String rewardModel,
    String aestheticModel,
    Long elapsedMs)
    implements BusMessage {

  public RankResult {
    ranking = List.copyOf(ranking);
  }
}
