package dev.imajin.contracts.proxy;

import dev.imajin.contracts.common.ImageResult;

/** One delivered image with the seed and prompts it was generated from. */
public record ResultImage(
    int index, long seed, String prompt, String negativePrompt, ImageResult image) {}
