package dev.imajin.contracts.moderator;

import dev.imajin.contracts.BusMessage;
import java.util.List;

/**
 * A PDQ hash (and optionally the hashes of the same image's dihedral variants) to match against the
 * selected banks (every bank when none are named).
 */
public record MatchHashRequest(
    String hash,
    Integer quality,
    List<PdqVariant> variants,
    List<String> banks,
    Integer threshold,
    Integer qualityFloor,
    Integer maxMatches)
    implements BusMessage {

  public static final int DEFAULT_THRESHOLD = MatchImageRequest.DEFAULT_THRESHOLD;
  public static final int DEFAULT_QUALITY_FLOOR = MatchImageRequest.DEFAULT_QUALITY_FLOOR;
  public static final int DEFAULT_MAX_MATCHES = MatchImageRequest.DEFAULT_MAX_MATCHES;

  public MatchHashRequest {
    variants = variants == null ? null : List.copyOf(variants);
    banks = banks == null ? null : List.copyOf(banks);
  }
}
