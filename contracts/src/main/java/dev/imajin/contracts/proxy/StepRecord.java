package dev.imajin.contracts.proxy;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** One step of the proxy: the downstream service and operations it called, and how it went. */
public record StepRecord(
    Name name,
    String service,
    List<String> operations,
    Status status,
    Long durationMs,
    String detail) {

  public StepRecord {
    operations = List.copyOf(operations);
  }

  public enum Name {
    @JsonProperty("classify")
    CLASSIFY,
    @JsonProperty("generate_prompts")
    GENERATE_PROMPTS,
    @JsonProperty("diffuse")
    DIFFUSE,
    @JsonProperty("process")
    PROCESS
  }

  public enum Status {
    @JsonProperty("succeeded")
    SUCCEEDED,
    @JsonProperty("skipped")
    SKIPPED,
    @JsonProperty("failed")
    FAILED
  }
}
