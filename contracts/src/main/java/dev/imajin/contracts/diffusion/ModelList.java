package dev.imajin.contracts.diffusion;

import dev.imajin.contracts.BusMessage;
import java.util.List;

/** Every diffusion model of the registry. */
public record ModelList(List<DiffusionModel> models) implements BusMessage {

  public ModelList {
    models = List.copyOf(models);
  }
}
