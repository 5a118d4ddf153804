package dev.imajin.contracts.common;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The diffusion schedulers: the diffusion service's {@code scheduler}, the pipeline's {@code
 * sampler}. Each is configured from the model's own scheduler config.
 */
public enum Scheduler {
  @JsonProperty("euler")
  EULER,
  @JsonProperty("euler_a")
  EULER_A,
  @JsonProperty("ddim")
  DDIM,
  @JsonProperty("dpmpp_2m")
  DPMPP_2M,
  @JsonProperty("lcm")
  LCM
}
