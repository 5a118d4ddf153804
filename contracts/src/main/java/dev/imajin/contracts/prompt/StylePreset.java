package dev.imajin.contracts.prompt;

import java.util.List;

/**
 * A style preset: its expansion template ({@code {prompt}} stands for the prompt) and negatives.
 */
public record StylePreset(
    String id,
    String name,
    String description,
    String promptTemplate,
    String negativePrompt,
    List<String> tags) {

  public StylePreset {
    tags = tags == null ? null : List.copyOf(tags);
  }
}
