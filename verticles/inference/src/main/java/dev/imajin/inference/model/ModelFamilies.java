package dev.imajin.inference.model;

/**
 * The family names the registry infers and the pipelines look for. A manifest may name any family
 * that matches {@link ModelManifest#FAMILY_PATTERN}; these are the ones imajin knows.
 */
public final class ModelFamilies {
  public static final String STABLE_DIFFUSION_1 = "stable-diffusion-1";
  public static final String STABLE_DIFFUSION_2 = "stable-diffusion-2";
  public static final String STABLE_DIFFUSION_XL = "stable-diffusion-xl";

  /**
   * SD-Turbo and SDXL-Turbo. Never inferred from a folder: a Turbo export looks like its base model
   * apart from a {@code trailing} scheduler, so say it in a manifest.
   */
  public static final String SD_TURBO = "sd-turbo";

  /** Latent consistency models: a UNet with {@code time_cond_proj_dim} or an LCM scheduler. */
  public static final String LCM = "lcm";

  public static final String SIGLIP = "siglip";
  public static final String CLIP = "clip";
  public static final String VIT = "vit";
  public static final String SCRFD = "scrfd";
  public static final String ARCFACE = "arcface";

  /** The project's own small models in {@code models/}. */
  public static final String STARTER = "starter";

  private ModelFamilies() {}
}
