package dev.imajin.semantic.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ScoringTest {
  @Test
  @DisplayName("The logit is the cosine of the embeddings times exp(logit_scale), plus the bias")
  void logit() {
    float[] image = {3, 0, 4};
    float[] text = {6, 0, 8};
    assertThat(Scoring.logit(image, text, Math.log(10), -5)).isCloseTo(5, within(1e-9));
    // siglip2-base-patch16-224: exp(4.7245) = 112.7, bias -16.77; cos 0.15 -> 0.13
    double siglip =
        Scoring.logit(
            new float[] {1, 0},
            new float[] {0.15f, (float) Math.sqrt(1 - 0.0225)},
            4.724453449249268,
            -16.771724700927734);
    assertThat(siglip)
        .isCloseTo(0.15 * Math.exp(4.724453449249268) - 16.771724700927734, within(1e-4));
    assertThat(Scoring.cosine(new float[] {0, 0}, new float[] {1, 1})).isZero();
    assertThatThrownBy(() -> Scoring.logit(new float[2], new float[3], 0, 0))
        .hasMessageContaining("image 2, text 3");
  }

  @Test
  @DisplayName("The sigmoid is exact around 0 and does not overflow far from it")
  void sigmoid() {
    assertThat(Scoring.sigmoid(0)).isEqualTo(0.5);
    assertThat(Scoring.sigmoid(2) + Scoring.sigmoid(-2)).isCloseTo(1, within(1e-15));
    assertThat(Scoring.sigmoid(1000)).isEqualTo(1.0);
    assertThat(Scoring.sigmoid(-1000)).isZero();
    assertThat(Scoring.sigmoid(-745)).isBetween(0.0, 1e-300);
  }
}
