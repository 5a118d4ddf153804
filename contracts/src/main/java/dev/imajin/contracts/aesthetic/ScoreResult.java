package dev.imajin.contracts.aesthetic;

import dev.imajin.contracts.BusMessage;

/**
 * An image's normalised prompt-image reward and, where an aesthetic predictor is configured, its
 * aesthetic score.
 */
public record ScoreResult(
    double reward, Double aesthetic, String rewardModel, String aestheticModel, Long elapsedMs)
    implements BusMessage {}
