package dev.imajin.diffusion.impl;

import dev.imajin.contracts.diffusion.DiffusionModel.State;
import java.time.Instant;

/** Where a model stands on this node: its state, device, last load error and load time. */
record ModelState(State state, String device, String error, Instant loadedAt) {
  static final ModelState AVAILABLE = new ModelState(State.AVAILABLE, null, null, null);

  static ModelState loading() {
    return new ModelState(State.LOADING, null, null, null);
  }

  static ModelState failed(String error) {
    return new ModelState(State.FAILED, null, error, null);
  }
}
