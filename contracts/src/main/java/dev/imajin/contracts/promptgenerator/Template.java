package dev.imajin.contracts.promptgenerator;

import java.util.List;

/** A prompt template of a category: {@code text} with {@code {name}} placeholders. */
public record Template(
    String id,
    String category,
    String description,
    String text,
    String negative,
    List<TemplateVariable> variables) {

  public Template {
    variables = List.copyOf(variables);
  }
}
