package dev.imajin.inference.diffusion;

import dev.imajin.inference.diffusion.DiffusionRequest.Mode;
import dev.imajin.inference.model.DiffusionLayout;
import dev.imajin.inference.model.ModelFamilies;
import dev.imajin.inference.scheduler.SchedulerKind;
import java.util.Set;

/**
 * What a model runs best with when a request leaves a value out, and what it accepts.
 *
 * @param width the native width: the UNet's {@code sample_size} × 8
 * @param height the native height, likewise
 * @param steps 30 for SD 1/2 and SDXL (diffusers says 50; 25 to 30 suffice for DPM++ 2M and Euler,
 *     and are what image UIs default to), 4 for LCM, 1 for SD-Turbo and SDXL-Turbo
 * @param guidance 7.5 for SD 1/2, 5.0 for SDXL, 8.5 for LCM, 0 (no guidance) for Turbo: the
 *     diffusers pipelines' defaults (MODELS.md §1.5)
 * @param scheduler the class of the model's {@code scheduler_config.json}; for a class imajin does
 *     not run (PNDM, which SD 1.5 ships, and any other) DPM++ 2M, built from the same file; LCM for
 *     an LCM model
 * @param modes what the model can do: text-to-image unless its UNet is an inpainting one (9
 *     channels), image-to-image and inpainting when it has a VAE encoder
 */
public record DiffusionDefaults(
    int width, int height, int steps, float guidance, SchedulerKind scheduler, Set<Mode> modes) {

  /** Widths and heights are multiples of this (the VAE's spatial factor). */
  public static final int SIZE_MULTIPLE = 8;

  public static final int MIN_SIZE = 64;
  public static final int MAX_SIZE = 2048;

  public DiffusionDefaults {
    modes = Set.copyOf(modes);
  }

  /**
   * @param family the model's family ({@link ModelFamilies})
   */
  static DiffusionDefaults of(String family, DiffusionLayout layout, Set<Mode> modes) {
    boolean turbo = ModelFamilies.SD_TURBO.equals(family);
    boolean lcm = ModelFamilies.LCM.equals(family);
    int steps = turbo ? 1 : lcm ? 4 : 30;
    float guidance = turbo ? 0f : lcm ? 8.5f : layout.xl() ? 5.0f : 7.5f;
    int size = layout.defaultImageSize();
    return new DiffusionDefaults(size, size, steps, guidance, scheduler(lcm, layout), modes);
  }

  private static SchedulerKind scheduler(boolean lcm, DiffusionLayout layout) {
    if (lcm) {
      return SchedulerKind.LCM;
    }
    try {
      return SchedulerKind.fromConfig(layout.schedulerConfig());
    } catch (IllegalArgumentException unsupported) {
      return SchedulerKind.DPMPP_2M;
    }
  }
}
