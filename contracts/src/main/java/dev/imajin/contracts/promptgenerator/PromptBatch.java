package dev.imajin.contracts.promptgenerator;

import dev.imajin.contracts.BusMessage;
import java.util.List;

/** The prompts of one request, in order, and the seed they came from. */
public record PromptBatch(String category, String preset, long seed, List<GeneratedPrompt> prompts)
    implements BusMessage {

  public PromptBatch {
    prompts = List.copyOf(prompts);
  }
}
