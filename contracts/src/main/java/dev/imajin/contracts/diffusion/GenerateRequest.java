package dev.imajin.contracts.diffusion;

import dev.imajin.contracts.BusMessage;
import dev.imajin.contracts.common.Scheduler;

/** Text to image. Absent fields take the model's defaults; image i uses {@code seed + i}. */
public record GenerateRequest(
    String model,
    String prompt,
    String negativePrompt,
    Integer width,
    Integer height,
    Integer steps,
    Double guidance,
    Scheduler scheduler,
    Long seed,
    Integer n,
    Integer previewEvery,
    ImageFormat outputFormat,
    String progressId)
    implements BusMessage {

  public static final int DEFAULT_N = 1;
}
