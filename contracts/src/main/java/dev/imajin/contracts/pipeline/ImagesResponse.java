package dev.imajin.contracts.pipeline;

import dev.imajin.contracts.BusMessage;
import java.util.List;

/** The OpenAI Images API response, plus the id of the job that produced it. */
public record ImagesResponse(
    long created,
    List<GeneratedImage> data,
    String background,
    String outputFormat,
    String size,
    String quality,
    String jobId)
    implements BusMessage {

  public ImagesResponse {
    data = List.copyOf(data);
  }
}
