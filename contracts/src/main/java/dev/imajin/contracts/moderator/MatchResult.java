package dev.imajin.contracts.moderator;

import dev.imajin.contracts.BusMessage;
import java.util.List;

/** The query's hash and the bank entries within the threshold, nearest first. */
public record MatchResult(
    PdqHash pdq,
    boolean matched,
    boolean belowQualityFloor,
    int threshold,
    int qualityFloor,
    List<String> banksSearched,
    List<HashMatch> matches)
    implements BusMessage {

  public MatchResult {
    banksSearched = List.copyOf(banksSearched);
    matches = List.copyOf(matches);
  }
}
