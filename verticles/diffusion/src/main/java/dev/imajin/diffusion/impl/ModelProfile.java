package dev.imajin.diffusion.impl;

import dev.imajin.contracts.common.Scheduler;
import dev.imajin.contracts.common.Size;
import dev.imajin.contracts.diffusion.DiffusionModel;
import dev.imajin.contracts.diffusion.DiffusionModel.Family;
import dev.imajin.contracts.diffusion.DiffusionModel.Layout;
import dev.imajin.contracts.diffusion.DiffusionModel.PredictionType;
import dev.imajin.contracts.diffusion.DiffusionModel.Variant;
import dev.imajin.contracts.diffusion.GenerationMode;
import dev.imajin.inference.model.DiffusionLayout;
import dev.imajin.inference.model.ModelEntry;
import dev.imajin.inference.model.ModelFamilies;
import dev.imajin.inference.scheduler.SchedulerKind;
import java.util.ArrayList;
import java.util.List;

/**
 * What the service tells and enforces about a text-to-image model, derived from its registry entry
 * and layout: architecture and variant, what it can do, its size limits and its defaults.
 *
 * <p>Sizes: the native size is the UNet's {@code sample_size} × 8; requests may ask from 64 up to
 * twice the native side ({@link #MAX_SIZE_FACTOR}, at most 2048), in multiples of 8 (the VAE's
 * factor). Defaults: Turbo 1 step without guidance; LCM 4 steps, guidance 8.5 (its embedded
 * guidance); others {@value #BASE_STEPS} steps, guidance 7.5 (SDXL 5.0). The default scheduler is
 * the one the model's {@code scheduler_config.json} names when imajin runs it, else Euler.
 */
record ModelProfile(
    Family family,
    Variant variant,
    Layout layout,
    PredictionType predictionType,
    List<GenerationMode> capabilities,
    Size nativeSize,
    Size maxSize,
    int sizeMultiple,
    Scheduler defaultScheduler,
    int defaultSteps,
    double defaultGuidance,
    List<Scheduler> schedulers) {

  static final int MIN_SIDE = 64;
  static final int MAX_SIDE = 2048;
  static final int MAX_SIZE_FACTOR = 2;
  static final int SIZE_MULTIPLE = 8;
  static final int BASE_STEPS = 30;

  ModelProfile {
    capabilities = List.copyOf(capabilities);
    schedulers = List.copyOf(schedulers);
  }

  static ModelProfile of(ModelEntry entry, DiffusionLayout layout) {
    Variant variant = variant(entry, layout);
    Family family = family(entry, layout);
    int side = layout.defaultImageSize();
    int max = Math.min(MAX_SIDE, Math.max(MIN_SIDE, side * MAX_SIZE_FACTOR));
    boolean inpaintingUnet = variant == Variant.INPAINTING;
    boolean encoder = layout.vaeEncoder().isPresent();
    List<GenerationMode> capabilities = new ArrayList<>();
    if (!inpaintingUnet) {
      capabilities.add(GenerationMode.TXT2IMG);
      if (encoder) {
        capabilities.add(GenerationMode.IMG2IMG);
      }
    }
    if (encoder) {
      capabilities.add(GenerationMode.INPAINT);
    }
    List<Scheduler> schedulers =
        variant == Variant.LCM
            ? List.of(
                Scheduler.LCM,
                Scheduler.EULER,
                Scheduler.EULER_A,
                Scheduler.DDIM,
                Scheduler.DPMPP_2M)
            : List.of(Scheduler.EULER, Scheduler.EULER_A, Scheduler.DDIM, Scheduler.DPMPP_2M);
    return new ModelProfile(
        family,
        variant,
        layout(entry, layout),
        "v_prediction".equals(layout.predictionType())
            ? PredictionType.V_PREDICTION
            : PredictionType.EPSILON,
        capabilities,
        new Size(side, side),
        new Size(max, max),
        SIZE_MULTIPLE,
        defaultScheduler(layout, variant, schedulers),
        switch (variant) {
          case TURBO -> 1;
          case LCM -> 4;
          default -> BASE_STEPS;
        },
        switch (variant) {
          case TURBO -> 0.0;
          case LCM -> 8.5;
          default -> family == Family.SDXL ? 5.0 : 7.5;
        },
        schedulers);
  }

  /** The contract's model record, with the given state. */
  DiffusionModel toContract(
      ModelEntry entry,
      ModelState state,
      List<dev.imajin.contracts.diffusion.ModelComponent> files) {
    return new DiffusionModel(
        entry.id(),
        family,
        variant,
        layout,
        state.state(),
        state.device(),
        state.error(),
        predictionType,
        capabilities,
        nativeSize,
        maxSize,
        sizeMultiple,
        defaultScheduler,
        defaultSteps,
        defaultGuidance,
        schedulers,
        files,
        entry.totalBytes(),
        entry.manifest().map(m -> m.license()).orElse(null),
        state.loadedAt());
  }

  boolean can(GenerationMode mode) {
    return capabilities.contains(mode);
  }

  private static Variant variant(ModelEntry entry, DiffusionLayout layout) {
    if (ModelFamilies.SD_TURBO.equals(entry.family())) {
      return Variant.TURBO;
    }
    if (ModelFamilies.LCM.equals(entry.family())
        || layout.timeCondProjDim().isPresent()
        || "LCMScheduler".equals(layout.schedulerClass())) {
      return Variant.LCM;
    }
    boolean nineChannels =
        layout
            .config("unet")
            .map(c -> c.getValue("in_channels"))
            .filter(v -> v instanceof Number)
            .map(v -> ((Number) v).intValue() == 9)
            .orElse(false);
    return nineChannels || layout.pipelineClass().contains("Inpaint")
        ? Variant.INPAINTING
        : Variant.BASE;
  }

  private static Family family(ModelEntry entry, DiffusionLayout layout) {
    if (layout.xl() || ModelFamilies.STABLE_DIFFUSION_XL.equals(entry.family())) {
      return Family.SDXL;
    }
    boolean wide =
        layout
            .config("unet")
            .map(c -> c.getValue("cross_attention_dim"))
            .filter(v -> v instanceof Number)
            .map(v -> ((Number) v).intValue() == 1024)
            .orElse(false);
    return ModelFamilies.STABLE_DIFFUSION_2.equals(entry.family())
            || ModelFamilies.SD_TURBO.equals(entry.family())
            || wide
        ? Family.SD2
        : Family.SD1;
  }

  private static Layout layout(ModelEntry entry, DiffusionLayout layout) {
    if (entry.source() == ModelEntry.Source.MANIFEST) {
      return Layout.MANIFEST;
    }
    return layout.kind() == DiffusionLayout.Kind.OPTIMUM ? Layout.OPTIMUM : Layout.DIFFUSERS_ONNX;
  }

  private static Scheduler defaultScheduler(
      DiffusionLayout layout, Variant variant, List<Scheduler> allowed) {
    if (variant == Variant.LCM) {
      return Scheduler.LCM;
    }
    try {
      Scheduler named = contractName(SchedulerKind.fromClassName(layout.schedulerClass()));
      return allowed.contains(named) ? named : Scheduler.DPMPP_2M;
    } catch (IllegalArgumentException notRun) {
      return Scheduler.DPMPP_2M;
    }
  }

  static Scheduler contractName(SchedulerKind kind) {
    return switch (kind) {
      case EULER -> Scheduler.EULER;
      case EULER_ANCESTRAL -> Scheduler.EULER_A;
      case DDIM -> Scheduler.DDIM;
      case DPMPP_2M -> Scheduler.DPMPP_2M;
      case LCM -> Scheduler.LCM;
    };
  }
}
