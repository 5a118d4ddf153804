package dev.imajin.contracts.prompt;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.imajin.contracts.BusMessage;

/** A prompt to expand, optionally in a style preset. */
public record EnhanceRequest(
    String prompt, String style, Mode mode, Integer maxLength, Boolean includeNegative, Long seed)
    implements BusMessage {

  public static final int DEFAULT_MAX_LENGTH = 400;

  public enum Mode {
    @JsonProperty("auto")
    AUTO,
    @JsonProperty("llm")
    LLM,
    @JsonProperty("deterministic")
    DETERMINISTIC
  }
}
