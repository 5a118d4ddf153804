package dev.imajin.contracts.semantic;

import dev.imajin.contracts.BusMessage;
import dev.imajin.contracts.common.ImageData;
import java.util.List;

/** An image and the concepts it should ({@code present}) and should not ({@code absent}) show. */
public record ValidationRequest(
    ImageData image,
    List<String> present,
    List<String> absent,
    Double threshold,
    String template,
    String model)
    implements BusMessage {

  public static final double DEFAULT_THRESHOLD = 0.5;

  public ValidationRequest {
    present = List.copyOf(present);
    absent = absent == null ? null : List.copyOf(absent);
  }
}
