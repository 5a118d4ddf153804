package dev.imajin.contracts.semantic;

import dev.imajin.contracts.BusMessage;
import java.util.List;

/** The score of every concept of a {@link ValidationRequest} and whether all of them passed. */
public record ValidationResult(
    boolean passed, double threshold, String model, List<ConceptScore> scores, Long elapsedMs)
    implements BusMessage {

  public ValidationResult {
    scores = List.copyOf(scores);
  }
}
