package dev.imajin.contracts.promptgenerator;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** One generated prompt, its negative prompt, and the template and values it came from. */
public record GeneratedPrompt(
    int index,
    String prompt,
    String negativePrompt,
    String templateId,
    long seed,
    Source source,
    List<Variable> variables) {

  public GeneratedPrompt {
    variables = List.copyOf(variables);
  }

  public enum Source {
    @JsonProperty("template")
    TEMPLATE,
    @JsonProperty("llm")
    LLM
  }
}
