package dev.imajin.contracts.diffusion;

import dev.imajin.contracts.common.ImageResult;

/** One generated image and the seed that reproduces it alone. */
public record GeneratedImage(int index, long seed, ImageResult image) {}
