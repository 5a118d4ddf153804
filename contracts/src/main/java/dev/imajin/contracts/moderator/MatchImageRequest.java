package dev.imajin.contracts.moderator;

import dev.imajin.contracts.BusMessage;
import dev.imajin.contracts.common.ImageData;
import java.util.List;

/** An image to hash and match against the selected banks (every bank when none are named). */
public record MatchImageRequest(
    ImageData image,
    List<String> banks,
    Integer threshold,
    Integer qualityFloor,
    Boolean dihedral,
    Integer maxMatches)
    implements BusMessage {

  public static final int DEFAULT_THRESHOLD = 31;
  public static final int DEFAULT_QUALITY_FLOOR = 50;
  public static final int DEFAULT_MAX_MATCHES = 100;

  public MatchImageRequest {
    banks = banks == null ? null : List.copyOf(banks);
  }
}
