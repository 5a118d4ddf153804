package dev.imajin.inference.diffusion;

/** Sees each UNet call before it runs: the sample's shape and the timestep. For tests and tools. */
@FunctionalInterface
interface UnetWatch {
  UnetWatch NONE = (shape, timestep) -> {};

  void calling(long[] sampleShape, float timestep);
}
