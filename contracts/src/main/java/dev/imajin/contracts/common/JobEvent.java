package dev.imajin.contracts.common;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.imajin.contracts.BusMessage;
import java.time.Instant;

/** One entry of a job's append-only event log; the data of one Server-Sent Event. */
public record JobEvent(
    String id,
    String jobId,
    Type type,
    Instant at,
    String stage,
    Integer step,
    Integer totalSteps,
    Double timestep,
    Double sigma,
    Long elapsedMs,
    Integer candidate,
    Double score,
    Verdict verdict,
    ImageResult preview,
    String message,
    Problem error)
    implements BusMessage {

  public enum Type {
    @JsonProperty("queued")
    QUEUED,
    @JsonProperty("stage_started")
    STAGE_STARTED,
    @JsonProperty("stage_finished")
    STAGE_FINISHED,
    @JsonProperty("stage_skipped")
    STAGE_SKIPPED,
    @JsonProperty("diffusion_step")
    DIFFUSION_STEP,
    @JsonProperty("candidate_scored")
    CANDIDATE_SCORED,
    @JsonProperty("moderation_verdict")
    MODERATION_VERDICT,
    @JsonProperty("completed")
    COMPLETED,
    @JsonProperty("failed")
    FAILED,
    @JsonProperty("cancelled")
    CANCELLED
  }
}
