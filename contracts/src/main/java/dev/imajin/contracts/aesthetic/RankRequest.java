package dev.imajin.contracts.aesthetic;

import dev.imajin.contracts.BusMessage;
import dev.imajin.contracts.common.ImageData;
import java.util.List;

/** Candidate images for one prompt, to be ordered best first. */
public record RankRequest(String prompt, List<ImageData> candidates, Double minReward, String model)
    implements BusMessage {

  public RankRequest {
    candidates = List.copyOf(candidates);
  }
}
