package dev.imajin.inference.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imajin.inference.testing.TokenizerFixtures;
import dev.imajin.inference.testing.TokenizerFixtures.Form;
import dev.imajin.inference.testing.TokenizerFixtures.Pad;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Tokenizers are read once per model and reused while their folder stays the same")
class TokenizersTest {

  @TempDir Path tmp;

  @Test
  @DisplayName("The same folder reuses the tokenizer; a new folder reads again and closes the old")
  void reuseAndReplace() {
    Path first =
        TokenizerFixtures.writeClip(tmp.resolve("a"), Form.TOKENIZER_JSON, Pad.EXCLAMATION);
    Path second =
        TokenizerFixtures.writeClip(tmp.resolve("b"), Form.TOKENIZER_JSON, Pad.EXCLAMATION);
    AtomicInteger reads = new AtomicInteger();
    try (Tokenizers<Path, ClipTokenizer> tokenizers = new Tokenizers<>()) {
      ClipTokenizer one = tokenizers.get("m", first, f -> counted(reads, f));
      assertThat(tokenizers.get("m", first, f -> counted(reads, f))).isSameAs(one);
      assertThat(reads).hasValue(1);

      ClipTokenizer two = tokenizers.get("m", second, f -> counted(reads, f));
      assertThat(two).isNotSameAs(one);
      assertThat(reads).hasValue(2);
      assertThatThrownBy(() -> one.encode("red")).isInstanceOf(IllegalStateException.class);
      assertThat(two.encode("red")).isNotEmpty();
    }
  }

  @Test
  @DisplayName("A folder that cannot be read fails and keeps the tokenizer there was; close frees")
  void failureKeepsAndCloseFrees() {
    Path good = TokenizerFixtures.writeClip(tmp.resolve("a"), Form.TOKENIZER_JSON, Pad.EXCLAMATION);
    Tokenizers<Path, ClipTokenizer> tokenizers = new Tokenizers<>();
    ClipTokenizer kept = tokenizers.get("m", good, ClipTokenizer::load);
    assertThatThrownBy(() -> tokenizers.get("m", tmp.resolve("missing"), ClipTokenizer::load))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(kept.encode("red")).isNotEmpty();
    assertThat(tokenizers.get("m", good, ClipTokenizer::load)).isSameAs(kept);

    tokenizers.close();
    assertThatThrownBy(() -> kept.encode("red")).isInstanceOf(IllegalStateException.class);
  }

  private static ClipTokenizer counted(AtomicInteger reads, Path folder) {
    reads.incrementAndGet();
    return ClipTokenizer.load(folder);
  }
}
