package dev.imajin.inference.scheduler;

/**
 * Reproducible N(0, 1) noise: the same seed gives the same floats, bit for bit, on every JVM.
 * Uniforms come from xoshiro256++ seeded by SplitMix64 (both fully specified integer algorithms);
 * normals from the Box–Muller transform in float64 with {@link StrictMath}, rounded to float. The
 * draws form one stream: filling 3 then 5 values gives the same 8 values as filling 8 at once.
 *
 * <p>It does not reproduce torch's {@code randn} for the same seed. Not thread-safe.
 */
public final class GaussianNoise implements Noise {
  private static final double TWO_PI = 2 * Math.PI;

  private long s0;
  private long s1;
  private long s2;
  private long s3;
  private boolean hasSpare;
  private double spare;

  public GaussianNoise(long seed) {
    long x = seed;
    s0 = splitMix(x += 0x9E3779B97F4A7C15L);
    s1 = splitMix(x += 0x9E3779B97F4A7C15L);
    s2 = splitMix(x += 0x9E3779B97F4A7C15L);
    s3 = splitMix(x + 0x9E3779B97F4A7C15L);
  }

  @Override
  public void fill(float[] out) {
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) next();
    }
  }

  private double next() {
    if (hasSpare) {
      hasSpare = false;
      return spare;
    }
    double u1 = 1.0 - uniform();
    double u2 = uniform();
    double radius = StrictMath.sqrt(-2.0 * StrictMath.log(u1));
    double angle = TWO_PI * u2;
    spare = radius * StrictMath.sin(angle);
    hasSpare = true;
    return radius * StrictMath.cos(angle);
  }

  /** In [0, 1), from the top 53 bits. */
  private double uniform() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  private long nextLong() {
    long result = Long.rotateLeft(s0 + s3, 23) + s0;
    long t = s1 << 17;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = Long.rotateLeft(s3, 45);
    return result;
  }

  private static long splitMix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
