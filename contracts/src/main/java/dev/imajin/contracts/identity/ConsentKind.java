package dev.imajin.contracts.identity;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Whether an identity must never be generated, or may be generated for its owner only. */
public enum ConsentKind {
  @JsonProperty("protected")
  PROTECTED,
  @JsonProperty("consented")
  CONSENTED
}
