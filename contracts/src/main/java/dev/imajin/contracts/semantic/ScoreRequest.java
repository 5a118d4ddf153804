package dev.imajin.contracts.semantic;

import dev.imajin.contracts.BusMessage;
import dev.imajin.contracts.common.ImageData;
import java.util.List;

/** An image and free texts to score it against. */
public record ScoreRequest(ImageData image, List<String> texts, String template, String model)
    implements BusMessage {

  public ScoreRequest {
    texts = List.copyOf(texts);
  }
}
