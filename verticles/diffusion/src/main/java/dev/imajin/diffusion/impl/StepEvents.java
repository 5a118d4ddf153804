package dev.imajin.diffusion.impl;

import dev.imajin.contracts.common.ImageResult;
import dev.imajin.contracts.common.JobEvent;
import dev.imajin.contracts.diffusion.ImageFormat;
import dev.imajin.inference.diffusion.StepEvent;
import java.time.Instant;

/**
 * Denoising steps as the contract's {@code diffusion_step} job events: the step, the total, the
 * scheduler's timestep and sigma, the time since the generation started, the image of the request
 * it belongs to (as {@code candidate}, the index the pipeline orchestrator uses for the same
 * image), and a small PNG preview on every {@code preview_every}-th step.
 */
final class StepEvents {
  static final String DENOISE = "denoise";

  private StepEvents() {}

  /** The event, without an id; encodes the preview, so call it off the event loop. */
  static JobEvent of(String jobId, StepEvent step, int previewEvery) {
    boolean preview = step.preview() != null && previewEvery > 0 && step.step() % previewEvery == 0;
    ImageResult image = preview ? Images.result(step.preview(), ImageFormat.PNG) : null;
    return new JobEvent(
        null,
        jobId,
        JobEvent.Type.DIFFUSION_STEP,
        Instant.now(),
        DENOISE,
        step.step(),
        step.steps(),
        (double) step.timestep(),
        (double) step.sigma(),
        Math.max(0, step.elapsedMs()),
        step.image(),
        null,
        null,
        image,
        null,
        null);
  }

  /** How far the generation is, from 0 to 1, after this step (all images run as one batch). */
  static double progress(StepEvent step) {
    return Math.min(1.0, (double) step.step() / Math.max(1, step.steps()));
  }

  /** A copy of the event with an id. */
  static JobEvent withId(JobEvent e, String id) {
    return new JobEvent(
        id,
        e.jobId(),
        e.type(),
        e.at(),
        e.stage(),
        e.step(),
        e.totalSteps(),
        e.timestep(),
        e.sigma(),
        e.elapsedMs(),
        e.candidate(),
        e.score(),
        e.verdict(),
        e.preview(),
        e.message(),
        e.error());
  }

  /** An event of another type: queued, stage started or finished, or an end. */
  static JobEvent simple(String jobId, JobEvent.Type type, String stage, String message) {
    return new JobEvent(
        null,
        jobId,
        type,
        Instant.now(),
        stage,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        message,
        null);
  }
}
