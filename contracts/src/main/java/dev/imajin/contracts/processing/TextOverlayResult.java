package dev.imajin.contracts.processing;

import dev.imajin.contracts.BusMessage;
import dev.imajin.contracts.common.ImageResult;
import java.util.List;

/** The image with text drawn, the lines as drawn, the font size used and the text's box. */
public record TextOverlayResult(
    ImageResult image, List<String> lines, int fontSize, Rect bounds, boolean truncated)
    implements BusMessage {

  public TextOverlayResult {
    lines = List.copyOf(lines);
  }
}
