package dev.imajin.contracts.diffusion;

import dev.imajin.contracts.BusMessage;
import dev.imajin.contracts.common.Scheduler;
import java.util.List;

/** Generated images with everything needed to reproduce them, and the time spent per phase. */
public record GenerationResult(
    GenerationMode mode,
    String model,
    List<ModelComponent> modelHashes,
    Scheduler scheduler,
    int steps,
    double guidance,
    Double strength,
    int width,
    int height,
    long seed,
    String device,
    List<GeneratedImage> images,
    PhaseTimings timings)
    implements BusMessage {

  public GenerationResult {
    modelHashes = List.copyOf(modelHashes);
    images = List.copyOf(images);
  }
}
