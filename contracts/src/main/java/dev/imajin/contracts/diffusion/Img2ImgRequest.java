package dev.imajin.contracts.diffusion;

import dev.imajin.contracts.BusMessage;
import dev.imajin.contracts.common.ImageData;
import dev.imajin.contracts.common.Scheduler;

/** Image to image: {@code strength} says how much of the starting image is replaced. */
public record Img2ImgRequest(
    String model,
    String prompt,
    String negativePrompt,
    ImageData image,
    Double strength,
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

  public static final double DEFAULT_STRENGTH = 0.75;
}
