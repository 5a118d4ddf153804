package dev.imajin.contracts.prompt;

import dev.imajin.contracts.BusMessage;
import java.util.List;

/** Every style preset. */
public record StyleList(List<StylePreset> styles) implements BusMessage {

  public StyleList {
    styles = List.copyOf(styles);
  }
}
