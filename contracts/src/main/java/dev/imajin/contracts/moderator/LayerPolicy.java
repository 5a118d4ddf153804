package dev.imajin.contracts.moderator;

import java.util.List;

/** How the policy treats one layer: whether it is required, its models and its time budget. */
public record LayerPolicy(Layer layer, boolean required, List<String> models, long timeoutMs) {

  public LayerPolicy {
    models = models == null ? null : List.copyOf(models);
  }
}
