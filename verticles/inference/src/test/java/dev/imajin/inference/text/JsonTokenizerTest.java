package dev.imajin.inference.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imajin.inference.testing.TokenizerFixtures;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonTokenizerTest {
  private static final int PAD = 0;
  private static final int EOS = 1;
  private static final int UNK = 2;
  private static final int RED = 7;
  private static final int STAR = 8;

  @TempDir Path dir;

  private JsonTokenizer load() {
    return JsonTokenizer.load(
        TokenizerFixtures.writeWordLevel(
            dir, Map.of("<pad>", PAD, "</s>", EOS, "<unk>", UNK, "red", RED, "star", STAR)));
  }

  @Test
  @DisplayName("A tokenizer.json runs as it is: its normaliser, its closing </s>, then padding")
  void encodes() {
    try (JsonTokenizer t = load()) {
      SequenceTokenizer.Sequence s = t.sequence("A RED star", 6, PAD);
      assertThat(s.ids()).containsExactly(UNK, RED, STAR, EOS, PAD, PAD);
      assertThat(s.used()).isEqualTo(4);
      assertThat(s.mask()).containsExactly(1, 1, 1, 1, 0, 0);
      assertThat(t.padId()).isEqualTo(PAD);
      assertThat(t.maxLength()).isEqualTo(-1);
      assertThat(t.sequence("red star star", 3, 9).ids()).containsExactly(RED, STAR, EOS);
      assertThat(t.sequence("", 2, 9).ids()).containsExactly(EOS, 9);
      assertThatThrownBy(() -> t.sequence("red", 0, PAD))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  @DisplayName("A missing file is refused naming it; a closed tokenizer refuses to encode")
  void refuses() {
    assertThatThrownBy(() -> JsonTokenizer.load(dir.resolve("none")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("none");
    JsonTokenizer t = load();
    t.close();
    assertThatThrownBy(() -> t.sequence("red", 4, PAD)).isInstanceOf(IllegalStateException.class);
  }
}
