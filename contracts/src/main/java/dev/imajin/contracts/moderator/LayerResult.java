package dev.imajin.contracts.moderator;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** What one layer found; only the fields of that layer are present. */
public record LayerResult(
    Layer layer,
    Status status,
    boolean required,
    String modelId,
    String error,
    List<HashMatch> hashMatches,
    List<LabelScore> labels,
    List<RuleHit> ruleHits,
    List<LabelScore> concepts,
    List<FaceFinding> faces) {

  public LayerResult {
    hashMatches = hashMatches == null ? null : List.copyOf(hashMatches);
    labels = labels == null ? null : List.copyOf(labels);
    ruleHits = ruleHits == null ? null : List.copyOf(ruleHits);
    concepts = concepts == null ? null : List.copyOf(concepts);
    faces = faces == null ? null : List.copyOf(faces);
  }

  /** Whether the layer ran and what it concluded. */
  public enum Status {
    @JsonProperty("passed")
    PASSED,
    @JsonProperty("flagged")
    FLAGGED,
    /** The layer could not run (model missing, failed or timed out). */
    @JsonProperty("unavailable")
    UNAVAILABLE
  }
}
