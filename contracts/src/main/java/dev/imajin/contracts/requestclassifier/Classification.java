package dev.imajin.contracts.requestclassifier;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.imajin.contracts.BusMessage;
import java.util.List;

/** The category and preset of a request, the next best categories, and the variables it names. */
public record Classification(
    String category,
    String preset,
    double confidence,
    List<CategoryScore> alternatives,
    List<Variable> variables,
    Method method,
    String model)
    implements BusMessage {

  public Classification {
    alternatives = List.copyOf(alternatives);
    variables = List.copyOf(variables);
  }

  /** How the category was chosen. */
  public enum Method {
    @JsonProperty("classifier")
    CLASSIFIER,
    @JsonProperty("embeddings")
    EMBEDDINGS,
    @JsonProperty("rules")
    RULES
  }
}
