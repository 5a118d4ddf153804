package dev.imajin.contracts.identity;

import dev.imajin.contracts.BusMessage;
import dev.imajin.contracts.common.ImageData;

/** An image whose faces are compared with every enrolled identity (of one consent kind, if set). */
public record SearchIdentitiesRequest(
    ImageData image, Double threshold, Integer maxCandidates, ConsentKind consent)
    implements BusMessage {

  public static final int DEFAULT_MAX_CANDIDATES = 10;
}
