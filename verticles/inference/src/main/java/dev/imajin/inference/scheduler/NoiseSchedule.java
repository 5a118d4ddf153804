package dev.imajin.inference.scheduler;

/**
 * The training noise schedule shared by every scheduler: betas, ᾱ (alphas_cumprod) and σ(t), in
 * float32 like diffusers. β comes from a linspace computed in float64 and rounded to float32 (as
 * numpy does; torch's own float32 linspace can differ in the last bit), scaled_linear squares it in
 * float32, and ᾱ is accumulated in float64 and rounded per entry, as torch's CPU {@code cumprod}
 * does for float32.
 */
final class NoiseSchedule {
  private final float[] alphasCumprod;
  private final float[] sigmas;

  private NoiseSchedule(float[] alphasCumprod) {
    this.alphasCumprod = alphasCumprod;
    this.sigmas = new float[alphasCumprod.length];
    for (int t = 0; t < sigmas.length; t++) {
      sigmas[t] = sigmaOf(alphasCumprod[t]);
    }
  }

  static NoiseSchedule of(SchedulerConfig config) {
    float[] betas = betas(config);
    float[] alphasCumprod = new float[betas.length];
    double product = 1;
    for (int t = 0; t < betas.length; t++) {
      product *= 1f - betas[t];
      alphasCumprod[t] = (float) product;
    }
    return new NoiseSchedule(alphasCumprod);
  }

  static float[] betas(SchedulerConfig config) {
    int n = config.numTrainTimesteps();
    float[] betas = new float[n];
    switch (config.betaSchedule()) {
      case LINEAR -> {
        double[] line = Grids.linspace(config.betaStart(), config.betaEnd(), n);
        for (int t = 0; t < n; t++) {
          betas[t] = (float) line[t];
        }
      }
      case SCALED_LINEAR -> {
        double[] line =
            Grids.linspace(
                StrictMath.sqrt(config.betaStart()), StrictMath.sqrt(config.betaEnd()), n);
        for (int t = 0; t < n; t++) {
          float root = (float) line[t];
          betas[t] = root * root;
        }
      }
      case SQUAREDCOS_CAP_V2 -> {
        for (int t = 0; t < n; t++) {
          double ratio = cosineAlphaBar((t + 1.0) / n) / cosineAlphaBar((double) t / n);
          betas[t] = (float) Math.min(1 - ratio, 0.999);
        }
      }
    }
    return betas;
  }

  /** Training timesteps. */
  int size() {
    return alphasCumprod.length;
  }

  /** ᾱ_t. */
  float alphaCumprod(int t) {
    return alphasCumprod[t];
  }

  /** σ(t) = √((1−ᾱ_t)/ᾱ_t). */
  float sigma(int t) {
    return sigmas[t];
  }

  /** √((1−ᾱ)/ᾱ) in float32. */
  static float sigmaOf(float alphaCumprod) {
    return (float) Math.sqrt((1f - alphaCumprod) / alphaCumprod);
  }

  /** σ at a fractional timestep: numpy's {@code interp} over the training σ, in float64. */
  double sigmaAt(double timestep) {
    return Grids.interp(sigmas, timestep);
  }

  /**
   * The forward process at ᾱ, in place: x ← √ᾱ·x + √(1−ᾱ)·noise (diffusers' {@code add_noise} of
   * DDPM-style schedulers).
   */
  static void addNoise(float alphaCumprod, float[] original, float[] noise) {
    Grids.requireSameLength(original, noise);
    float signal = (float) Math.sqrt(alphaCumprod);
    float spread = (float) Math.sqrt(1f - alphaCumprod);
    for (int i = 0; i < original.length; i++) {
      original[i] = signal * original[i] + spread * noise[i];
    }
  }

  private static double cosineAlphaBar(double t) {
    double c = StrictMath.cos((t + 0.008) / 1.008 * Math.PI / 2);
    return c * c;
  }
}
