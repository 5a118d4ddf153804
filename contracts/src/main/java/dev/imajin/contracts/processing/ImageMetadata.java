package dev.imajin.contracts.processing;

import dev.imajin.contracts.BusMessage;
import dev.imajin.contracts.common.MediaType;
import java.util.List;

/** What an image says about itself: format, dimensions, text chunks and generation parameters. */
public record ImageMetadata(
    MediaType mediaType,
    int width,
    int height,
    long bytes,
    GenerationParameters parameters,
    List<TextChunk> chunks)
    implements BusMessage {

  public ImageMetadata {
    chunks = List.copyOf(chunks);
  }
}
