package dev.imajin.contracts.prompt;

import dev.imajin.contracts.BusMessage;
import java.util.List;

/** The expanded prompt, what produced it and, after a fallback, why the LLM was not used. */
public record EnhanceResult(
    String prompt,
    String originalPrompt,
    String negativePrompt,
    String style,
    PromptSource source,
    String llmModel,
    String fallbackReason,
    List<String> addedTerms,
    long tookMs)
    implements BusMessage {

  public EnhanceResult {
    addedTerms = List.copyOf(addedTerms);
  }
}
