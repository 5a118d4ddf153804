package dev.imajin.contracts.prompt;

import dev.imajin.contracts.BusMessage;
import java.util.List;

/** A negative prompt and the terms it is made of. */
public record NegativePromptResult(String negativePrompt, List<String> terms, String style)
    implements BusMessage {

  public NegativePromptResult {
    terms = List.copyOf(terms);
  }
}
