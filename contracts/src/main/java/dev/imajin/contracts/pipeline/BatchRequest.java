package dev.imajin.contracts.pipeline;

import dev.imajin.contracts.BusMessage;
import java.util.List;

/** Several generations submitted together. */
public record BatchRequest(List<ImageGenerationRequest> requests) implements BusMessage {

  public BatchRequest {
    requests = List.copyOf(requests);
  }
}
