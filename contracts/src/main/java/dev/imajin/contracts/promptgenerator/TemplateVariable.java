package dev.imajin.contracts.promptgenerator;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** A placeholder of a template, and where its value comes from when a request gives none. */
public record TemplateVariable(
    String name,
    String description,
    boolean required,
    @JsonProperty("default") String defaultValue,
    List<String> values) {

  public TemplateVariable {
    values = values == null ? null : List.copyOf(values);
  }
}
