package dev.imajin.contracts.semantic;

import dev.imajin.contracts.BusMessage;
import java.util.List;

/** One independent sigmoid score per text, in the order of the request. */
public record ScoreResult(String model, List<TextScore> scores, Long elapsedMs)
    implements BusMessage {

  public ScoreResult {
    scores = List.copyOf(scores);
  }
}
