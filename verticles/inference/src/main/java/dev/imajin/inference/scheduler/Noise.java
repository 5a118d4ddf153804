package dev.imajin.inference.scheduler;

/** A source of standard normal noise. Not thread-safe unless an implementation says so. */
public interface Noise {

  /** Fills {@code out} with the next {@code out.length} draws from N(0, 1). */
  void fill(float[] out);
}
