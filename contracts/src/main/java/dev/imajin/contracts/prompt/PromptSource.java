package dev.imajin.contracts.prompt;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What produced a prompt: the LLM, or the deterministic rules. */
public enum PromptSource {
  @JsonProperty("llm")
  LLM,
  @JsonProperty("deterministic")
  DETERMINISTIC
}
