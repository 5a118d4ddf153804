package dev.imajin.contracts.pipeline;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What one pipeline stage did for a job. */
public record StageRecord(Stage name, Status status, String reason, Long durationMs) {

  /** The sixteen stages, in the order the pipeline runs them. */
  public enum Stage {
    @JsonProperty("validate")
    VALIDATE,
    @JsonProperty("image_loading")
    IMAGE_LOADING,
    @JsonProperty("identity_conditioning")
    IDENTITY_CONDITIONING,
    @JsonProperty("image_conditioning")
    IMAGE_CONDITIONING,
    @JsonProperty("generate")
    GENERATE,
    @JsonProperty("identity_verification")
    IDENTITY_VERIFICATION,
    @JsonProperty("anatomy_fix")
    ANATOMY_FIX,
    @JsonProperty("watermark_removal")
    WATERMARK_REMOVAL,
    @JsonProperty("background_removal")
    BACKGROUND_REMOVAL,
    @JsonProperty("moderate")
    MODERATE,
    @JsonProperty("semantic_validation")
    SEMANTIC_VALIDATION,
    @JsonProperty("aesthetic_validation")
    AESTHETIC_VALIDATION,
    @JsonProperty("text_overlay")
    TEXT_OVERLAY,
    @JsonProperty("watermark")
    WATERMARK,
    @JsonProperty("quality")
    QUALITY,
    @JsonProperty("output")
    OUTPUT
  }

  public enum Status {
    @JsonProperty("pending")
    PENDING,
    @JsonProperty("running")
    RUNNING,
    @JsonProperty("finished")
    FINISHED,
    @JsonProperty("skipped")
    SKIPPED,
    @JsonProperty("failed")
    FAILED
  }
}
