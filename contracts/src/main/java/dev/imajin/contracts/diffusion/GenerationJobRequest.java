package dev.imajin.contracts.diffusion;

import dev.imajin.contracts.BusMessage;

/** One generation to run as a job: exactly one of the three requests is set. */
public record GenerationJobRequest(
    GenerateRequest generate, Img2ImgRequest img2img, InpaintRequest inpaint)
    implements BusMessage {}
