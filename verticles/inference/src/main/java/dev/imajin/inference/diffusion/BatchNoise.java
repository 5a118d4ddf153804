package dev.imajin.inference.diffusion;

import dev.imajin.inference.scheduler.GaussianNoise;
import dev.imajin.inference.scheduler.Noise;

/**
 * The noise of a batch of images, each drawn from its own stream: image {@code i} of a request
 * seeded {@code s} uses {@code GaussianNoise(s + i)}. A fill of the whole batch gives each image's
 * equal share of the array from that image's stream, so an image's draws do not depend on how many
 * images share the batch.
 */
final class BatchNoise implements Noise {
  private final GaussianNoise[] streams;
  private float[] part = new float[0];

  BatchNoise(long seed, int images) {
    streams = new GaussianNoise[images];
    for (int i = 0; i < images; i++) {
      streams[i] = new GaussianNoise(seed + i);
    }
  }

  @Override
  public void fill(float[] out) {
    if (out.length % streams.length != 0) {
      throw new IllegalArgumentException(
          out.length + " values do not split among " + streams.length + " images");
    }
    int each = out.length / streams.length;
    if (part.length != each) {
      part = new float[each];
    }
    for (int i = 0; i < streams.length; i++) {
      streams[i].fill(part);
      System.arraycopy(part, 0, out, i * each, each);
    }
  }
}
