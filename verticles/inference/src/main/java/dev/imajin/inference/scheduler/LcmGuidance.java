package dev.imajin.inference.scheduler;

/** The LCM UNet's {@code timestep_cond} input. */
public final class LcmGuidance {
  private LcmGuidance() {}

  /**
   * The sinusoidal embedding of w = guidanceScale − 1 that the LCM pipeline feeds as {@code
   * timestep_cond} (it runs no classifier-free guidance): with half = dim/2 and freq_k =
   * exp(−k·ln(10000)/(half−1)), the values sin(1000·w·freq_k) then cos(1000·w·freq_k), and a
   * trailing 0 when dim is odd. Computed in float32 like diffusers' {@code
   * get_guidance_scale_embedding}; sines of large float32 arguments may differ from torch's by
   * about 1e-3.
   *
   * @param dim the UNet's {@code time_cond_proj_dim} (256 for LCM Dreamshaper), at least 4
   */
  public static float[] guidanceEmbedding(float guidanceScale, int dim) {
    if (dim < 4) {
      throw new IllegalArgumentException("embedding dimension must be at least 4, was " + dim);
    }
    float w = (float) (guidanceScale - 1.0) * 1000f;
    int half = dim / 2;
    float rate = (float) StrictMath.log(10000f) / (half - 1);
    float[] out = new float[dim];
    for (int k = 0; k < half; k++) {
      float frequency = (float) StrictMath.exp(k * -rate);
      float angle = w * frequency;
      out[k] = (float) StrictMath.sin(angle);
      out[half + k] = (float) StrictMath.cos(angle);
    }
    return out;
  }
}
