package dev.imajin.inference.face;

import dev.imajin.inference.model.ModelEntry;
import dev.imajin.inference.model.ModelException;
import dev.imajin.inference.model.ModelParameters;
import java.util.List;

/** Reads the face models' manifest sections. */
final class Manifests {
  private Manifests() {}

  static ModelParameters preprocess(ModelEntry entry) {
    return entry
        .manifest()
        .map(m -> m.preprocess())
        .orElse(ModelParameters.empty(entry.folder() + ": preprocess"));
  }

  static double threshold(ModelEntry entry, String key, double fallback) {
    Double value = entry.manifest().map(m -> m.thresholds().get(key)).orElse(null);
    if (value == null) {
      return fallback;
    }
    if (!(value >= 0 && value <= 1)) {
      throw new ModelException(
          "model '" + entry.id() + "': thresholds." + key + " must be in [0, 1], was " + value);
    }
    return value;
  }

  /** A per-channel value given as one number or as three (R, G, B). */
  static float[] channels(ModelParameters p, String key, double fallback) {
    Object raw = p.values().get(key);
    if (raw instanceof List<?>) {
      List<Double> values = p.numbers(key).orElseThrow();
      if (values.size() != 3) {
        throw new ModelException(p.where() + "." + key + ": expected 1 or 3 numbers");
      }
      return new float[] {
        values.get(0).floatValue(), values.get(1).floatValue(), values.get(2).floatValue()
      };
    }
    float v = p.number(key).orElse(fallback).floatValue();
    return new float[] {v, v, v};
  }

  static void positive(ModelParameters p, String key, float[] std) {
    for (float s : std) {
      if (!(s > 0)) {
        throw new ModelException(p.where() + "." + key + ": must be positive");
      }
    }
  }
}
