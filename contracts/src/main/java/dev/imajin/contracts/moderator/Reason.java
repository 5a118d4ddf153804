package dev.imajin.contracts.moderator;

/** One thing that made a verdict what it is: a policy rule that fired, or a missing layer. */
public record Reason(
    Layer layer,
    String code,
    String ruleId,
    ModerationCategory category,
    Action action,
    Double score,
    Double threshold,
    String detail) {

  /** The code of the reason a required layer that could not run gives. */
  public static final String LAYER_UNAVAILABLE = "layer_unavailable";
}
