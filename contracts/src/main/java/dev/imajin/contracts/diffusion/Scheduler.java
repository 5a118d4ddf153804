package dev.imajin.contracts.diffusion;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The schedulers the diffusion service runs, each configured from the model's own config. */
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
