package dev.imajin.contracts.processing;

import dev.imajin.contracts.BusMessage;
import dev.imajin.contracts.common.ImageData;
import java.util.List;

/** Generation parameters and text chunks to write into a PNG (at least one of them). */
public record WriteMetadataRequest(
    ImageData image, GenerationParameters parameters, List<TextChunk> chunks, Boolean replace)
    implements BusMessage {

  public WriteMetadataRequest {
    chunks = chunks == null ? null : List.copyOf(chunks);
  }
}
