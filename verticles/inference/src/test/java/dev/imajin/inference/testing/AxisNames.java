package dev.imajin.inference.testing;

/**
 * The symbolic dimension names ({@code dim_param}) an exporter gives dynamic axes. A {@code null}
 * name means the exporter leaves that axis fixed.
 */
public enum AxisNames {
  /** {@code torch.onnx.export} dynamic axes of the diffusers script (Olive's look the same). */
  DIFFUSERS_SCRIPT("batch", "sequence", "channels", "height", "width", "height", "width", "batch"),
  /** Optimum's {@code OnnxConfig.inputs/outputs}: channels fixed, latents named apart. */
  OPTIMUM(
      "batch_size",
      "sequence_length",
      null,
      "height",
      "width",
      "height_latent",
      "width_latent",
      "steps");

  final String batch;
  final String sequence;
  final String channels;
  final String height;
  final String width;
  final String latentHeight;
  final String latentWidth;
  final String steps;

  AxisNames(
      String batch,
      String sequence,
      String channels,
      String height,
      String width,
      String latentHeight,
      String latentWidth,
      String steps) {
    this.batch = batch;
    this.sequence = sequence;
    this.channels = channels;
    this.height = height;
    this.width = width;
    this.latentHeight = latentHeight;
    this.latentWidth = latentWidth;
    this.steps = steps;
  }

  /** The channel axis: its name when dynamic, else the fixed size. */
  Object channels(int size) {
    return channels == null ? (Object) size : channels;
  }
}
