package dev.imajin.contracts.proxy;

import dev.imajin.contracts.BusMessage;
import java.util.List;

/** The images, and what each step of the proxy decided and how long it took. */
public record GenerateResult(
    Classification classification,
    String template,
    String model,
    List<ResultImage> images,
    List<StepRecord> steps,
    long tookMs)
    implements BusMessage {

  public GenerateResult {
    images = List.copyOf(images);
    steps = List.copyOf(steps);
  }
}
