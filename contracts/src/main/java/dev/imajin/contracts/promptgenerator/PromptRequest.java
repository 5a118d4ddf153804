package dev.imajin.contracts.promptgenerator;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.imajin.contracts.BusMessage;
import java.util.List;

/**
 * What to generate prompts from: a template, or a category's templates, filled with variables. One
 * of {@code category} and {@code templateId} is set; absent optionals take their defaults.
 */
public record PromptRequest(
    String category,
    String templateId,
    String preset,
    List<Variable> variables,
    Integer count,
    Long seed,
    Mode mode)
    implements BusMessage {

  public static final int DEFAULT_COUNT = 1;

  public PromptRequest {
    variables = variables == null ? null : List.copyOf(variables);
  }

  public enum Mode {
    @JsonProperty("template")
    TEMPLATE,
    @JsonProperty("llm")
    LLM
  }
}
