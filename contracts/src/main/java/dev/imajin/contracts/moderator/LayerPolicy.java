package dev.imajin.contracts.moderator;

import java.util.List;

/**
 * How the policy treats one layer: whether it is required, its models, its time budget and the
 * layer's own settings (only those of that layer are present): {@code threshold} (hash match: the
 * largest Hamming distance; identity verification: the smallest cosine similarity), {@code
 * qualityFloor}, {@code dihedral} and {@code banks} (hash match), {@code minorLabels} (age
 * estimation).
 */
public record LayerPolicy(
    Layer layer,
    boolean required,
    List<String> models,
    long timeoutMs,
    Double threshold,
    Integer qualityFloor,
    Boolean dihedral,
    List<String> banks,
    List<String> minorLabels) {

  public LayerPolicy {
    models = models == null ? null : List.copyOf(models);
    banks = banks == null ? null : List.copyOf(banks);
    minorLabels = minorLabels == null ? null : List.copyOf(minorLabels);
  }
}
