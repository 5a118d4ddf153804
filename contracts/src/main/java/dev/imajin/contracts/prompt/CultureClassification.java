package dev.imajin.contracts.prompt;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.imajin.contracts.BusMessage;
import java.util.List;

/** The best cultural labels of a text, highest score first, and what scored them. */
public record CultureClassification(
    List<CultureLabel> labels, String language, Source source, String model) implements BusMessage {

  public CultureClassification {
    labels = List.copyOf(labels);
  }

  public enum Source {
    @JsonProperty("classifier")
    CLASSIFIER,
    @JsonProperty("llm")
    LLM,
    @JsonProperty("rules")
    RULES
  }
}
