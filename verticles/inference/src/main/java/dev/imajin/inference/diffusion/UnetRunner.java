package dev.imajin.inference.diffusion;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.imajin.inference.onnx.Tensors;
import java.util.HashMap;
import java.util.Map;

/**
 * One generation's UNet calls. The sample goes into a tensor allocated once and the output comes
 * back in another (ONNX Runtime writes it in place), so a step allocates only the timestep's tiny
 * tensor. With guidance the batch is [negative × B; positive × B] in one call and the prediction is
 * u + g·(c − u).
 */
final class UnetRunner implements AutoCloseable {
  private final OrtEnvironment env;
  private final OrtSession unet;
  private final UnetIo io;
  private final UnetWatch watch;
  private final int images;
  private final int rows;
  private final int each;
  private final long[] shape;
  private final PinnedTensor sample;
  private final PinnedTensor output;
  private final float[] raw;
  private final float[] prediction;
  private final Map<String, OnnxTensorLike> inputs = new HashMap<>();
  private final Map<String, OnnxTensor> pinned;
  private long nanos;

  private UnetRunner(
      OrtEnvironment env,
      OrtSession unet,
      UnetIo io,
      UnetWatch watch,
      int images,
      int rows,
      int latentHeight,
      int latentWidth,
      PinnedTensor sample,
      PinnedTensor output) {
    this.env = env;
    this.unet = unet;
    this.io = io;
    this.watch = watch;
    this.images = images;
    this.rows = rows;
    this.each = UnetIo.LATENT_CHANNELS * latentHeight * latentWidth;
    this.shape = new long[] {rows, io.channels(), latentHeight, latentWidth};
    this.sample = sample;
    this.output = output;
    this.raw = new float[rows * each];
    this.prediction = rows == images ? raw : new float[images * each];
    this.pinned = Map.of(io.output(), output.tensor());
  }

  /**
   * @param guided whether the batch holds a negative half (rows = 2·images)
   */
  static UnetRunner open(
      OrtEnvironment env,
      OrtSession unet,
      UnetIo io,
      Conditioning conditioning,
      UnetWatch watch,
      int images,
      boolean guided,
      int latentHeight,
      int latentWidth)
      throws OrtException {
    int rows = guided ? 2 * images : images;
    long[] in = {rows, io.channels(), latentHeight, latentWidth};
    long[] out = {rows, UnetIo.LATENT_CHANNELS, latentHeight, latentWidth};
    PinnedTensor sample = PinnedTensor.allocate(env, io.sampleType(), in, "UNet sample");
    try {
      PinnedTensor output = PinnedTensor.allocate(env, io.outputType(), out, "UNet output");
      UnetRunner runner =
          new UnetRunner(
              env, unet, io, watch, images, rows, latentHeight, latentWidth, sample, output);
      runner.inputs.putAll(conditioning.tensors());
      runner.inputs.put(io.sample().getName(), sample.tensor());
      return runner;
    } catch (OrtException | RuntimeException e) {
      sample.close();
      throw e;
    }
  }

  /**
   * Fills the inpainting UNet's extra channels, the same at every step: the mask (one [h, w] plane
   * for every image) and the masked image's latents ([B, 4, h, w]).
   */
  void setInpaintChannels(float[] mask, float[] maskedLatents) {
    int plane = each / UnetIo.LATENT_CHANNELS;
    int rowSize = io.channels() * plane;
    for (int r = 0; r < rows; r++) {
      int b = r % images;
      sample.write(r * rowSize + each, mask, 0, plane, 1f);
      sample.write(r * rowSize + each + plane, maskedLatents, b * each, each, 1f);
    }
  }

  /**
   * The noise prediction for latents {@code x} ([B, 4, h, w]) at a timestep: the UNet fed x /
   * divisor ({@code scale_model_input}) and the raw timestep, guided when the batch has a negative
   * half. The returned array is reused by the next call.
   */
  float[] predict(float[] x, float divisor, float timestep, float guidance) throws OrtException {
    int rowSize = io.channels() * (each / UnetIo.LATENT_CHANNELS);
    for (int r = 0; r < rows; r++) {
      sample.write(r * rowSize, x, (r % images) * each, each, divisor);
    }
    try (OnnxTensor t = Tensors.scalarOrVector(env, io.timestep(), timestep, rows)) {
      inputs.put(io.timestep().getName(), t);
      watch.calling(shape, timestep);
      long start = System.nanoTime();
      try (OrtSession.Result ignored = unet.run(inputs, pinned)) {
        nanos += System.nanoTime() - start;
      }
    } finally {
      inputs.remove(io.timestep().getName());
    }
    output.read(0, raw, 0, raw.length);
    if (prediction != raw) {
      int half = images * each;
      for (int i = 0; i < half; i++) {
        float u = raw[i];
        prediction[i] = u + guidance * (raw[half + i] - u);
      }
    }
    return prediction;
  }

  /** Time spent inside the UNet's runs, in nanoseconds. */
  long nanos() {
    return nanos;
  }

  @Override
  public void close() {
    sample.close();
    output.close();
  }
}
