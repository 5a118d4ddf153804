package dev.imajin.contracts.requestclassifier;

import java.util.List;

/** A kind of request, the presets it may get, and the variables extracted for it. */
public record Category(
    String id,
    String title,
    String description,
    String defaultPreset,
    List<String> presets,
    List<String> variables,
    List<String> examples) {

  public Category {
    presets = List.copyOf(presets);
    variables = List.copyOf(variables);
    examples = examples == null ? null : List.copyOf(examples);
  }
}
