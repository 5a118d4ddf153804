package dev.imajin.aesthetic.impl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RewardTextTest {
  private static final int BOS = 49406;
  private static final int EOS = 49407;

  @Test
  @DisplayName("The mask covers BOS to EOS when the pad is EOS itself")
  void padIsEos() {
    RewardText text = RewardText.of(new int[] {BOS, 320, 1125, EOS, EOS, EOS}, EOS, EOS);
    assertThat(text.ids()).containsExactly(BOS, 320, 1125, EOS, EOS, EOS);
    assertThat(text.mask()).containsExactly(1, 1, 1, 1, 0, 0);
  }

  @Test
  @DisplayName("With another pad id (SD2's '!' = 0), a 0 among the tokens stays in the mask")
  void otherPad() {
    RewardText text = RewardText.of(new int[] {BOS, 0, 320, EOS, 0, 0}, EOS, 0);
    assertThat(text.mask()).containsExactly(1, 1, 1, 1, 0, 0);
  }

  @Test
  @DisplayName("A full sequence and an empty prompt")
  void edges() {
    assertThat(RewardText.of(new int[] {BOS, 320, 321, EOS}, EOS, EOS).mask())
        .containsExactly(1, 1, 1, 1);
    assertThat(RewardText.of(new int[] {BOS, EOS, EOS, EOS}, EOS, EOS).mask())
        .containsExactly(1, 1, 0, 0);
    assertThat(RewardText.of(new int[] {BOS, EOS, 7, 7}, EOS, 7).mask())
        .containsExactly(1, 1, 0, 0);
  }
}
