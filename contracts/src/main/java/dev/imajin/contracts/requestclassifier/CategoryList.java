package dev.imajin.contracts.requestclassifier;

import dev.imajin.contracts.BusMessage;
import java.util.List;

/** The configured categories. */
public record CategoryList(List<Category> categories) implements BusMessage {

  public CategoryList {
    categories = List.copyOf(categories);
  }
}
