package dev.imajin.contracts.diffusion;

import dev.imajin.contracts.BusMessage;

/** Where to load a model and how long to wait for device memory. */
public record LoadModelRequest(String device, Integer deadlineMs) implements BusMessage {

  public static final String DEFAULT_DEVICE = "auto";
  public static final int DEFAULT_DEADLINE_MS = 60_000;
}
