package dev.imajin.contracts.diffusion;

import dev.imajin.contracts.BusMessage;
import dev.imajin.contracts.common.ImageData;
import dev.imajin.contracts.common.Scheduler;

/** Repaint the white part of {@code mask} in {@code image}. */
public record InpaintRequest(
    String model,
    String prompt,
    String negativePrompt,
    ImageData image,
    ImageData mask,
    Double strength,
    Integer maskBlur,
    Integer steps,
    Double guidance,
    Scheduler scheduler,
    Long seed,
    Integer n,
    Integer previewEvery,
    ImageFormat outputFormat,
    String progressId)
    implements BusMessage {

  public static final double DEFAULT_STRENGTH = 1.0;
  public static final int DEFAULT_MASK_BLUR = 4;
}
