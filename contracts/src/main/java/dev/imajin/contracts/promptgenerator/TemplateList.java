package dev.imajin.contracts.promptgenerator;

import dev.imajin.contracts.BusMessage;
import java.util.List;

/** Prompt templates. */
public record TemplateList(List<Template> templates) implements BusMessage {

  public TemplateList {
    templates = List.copyOf(templates);
  }
}
