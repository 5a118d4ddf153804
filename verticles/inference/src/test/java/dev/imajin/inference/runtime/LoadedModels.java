package dev.imajin.inference.runtime;

import ai.onnxruntime.OrtSession;
import dev.imajin.inference.model.ModelEntry;
import java.util.Map;

/**
 * Loaded models for tests and tools, without a GPU Boss: the sessions are opened by the caller and
 * there is no lease, so {@link LoadedModel#lease()} and {@link LoadedModel#device()} are not
 * usable, and the model cannot go through {@link ModelHost#run}. The caller closes the sessions.
 */
public final class LoadedModels {
  private LoadedModels() {}

  public static LoadedModel of(ModelEntry entry, Map<String, OrtSession> sessions) {
    return new LoadedModel(entry, null, sessions);
  }
}
