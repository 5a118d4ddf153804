package dev.imajin.contracts.requestclassifier;

import dev.imajin.contracts.BusMessage;
import java.util.List;

/** A request in the user's own words, optionally restricted to some categories. */
public record ClassificationRequest(String text, Integer topK, List<String> categories)
    implements BusMessage {

  public static final int DEFAULT_TOP_K = 3;

  public ClassificationRequest {
    categories = categories == null ? null : List.copyOf(categories);
  }
}
