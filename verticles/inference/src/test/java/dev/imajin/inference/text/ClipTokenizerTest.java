package dev.imajin.inference.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imajin.inference.testing.TokenizerFixtures;
import dev.imajin.inference.testing.TokenizerFixtures.ClipVocabulary;
import dev.imajin.inference.testing.TokenizerFixtures.Form;
import dev.imajin.inference.testing.TokenizerFixtures.Pad;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ClipTokenizerTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ClipVocabulary VOCAB = TokenizerFixtures.clipVocabulary();

  // Ids of the fixture vocabulary: 512 byte tokens, then one per merge, then BOS and EOS.
  private static final int BOS = 542;
  private static final int EOS = 543;
  private static final int A = 320;
  private static final int RED = 513;
  private static final int CIRCLE = 518;
  private static final int ON = 522;
  private static final int BLUE = 525;
  private static final int BACKGROUND = 534;
  private static final int PHOTO = 538;
  private static final int OF = 539;
  private static final int CA = 540;
  private static final int CAT = 541;

  private static final List<String> PROMPTS =
      List.of(
          "a red circle on a blue background",
          "A Photo of a CAT",
          "café ☕",
          "dog! 42 cat's cats",
          "über-straße, naïve résumé; 東京 🙂🙂",
          "a <|endoftext|> cat",
          "",
          "   ",
          String.join(" ", Collections.nCopies(100, "background")));

  @TempDir Path tmp;

  private ClipTokenizer load(Form form, Pad pad) {
    return ClipTokenizer.load(TokenizerFixtures.writeClip(tmp.resolve(form.name()), form, pad));
  }

  private static int[] padded(int length, int pad, int... head) {
    int[] ids = new int[length];
    Arrays.fill(ids, pad);
    System.arraycopy(head, 0, ids, 0, head.length);
    return ids;
  }

  @Test
  @DisplayName(
      "The fixture vocabulary has CLIP's layout: byte ids as in the real one, specials last")
  void fixtureLayout() {
    assertThat(VOCAB.id("!")).isZero();
    assertThat(VOCAB.id("!</w>")).isEqualTo(256);
    assertThat(VOCAB.wordId("a")).isEqualTo(A);
    assertThat(VOCAB.size()).isEqualTo(544);
    assertThat(VOCAB.bosId()).isEqualTo(BOS);
    assertThat(VOCAB.eosId()).isEqualTo(EOS);
    assertThat(List.of(RED, CIRCLE, ON, BLUE, BACKGROUND, PHOTO, OF, CAT))
        .containsExactly(
            VOCAB.wordId("red"),
            VOCAB.wordId("circle"),
            VOCAB.wordId("on"),
            VOCAB.wordId("blue"),
            VOCAB.wordId("background"),
            VOCAB.wordId("photo"),
            VOCAB.wordId("of"),
            VOCAB.wordId("cat"));
  }

  @ParameterizedTest
  @EnumSource(Form.class)
  @DisplayName("Listed words are one token each, between BOS and EOS, padded to 77")
  void encodesWords(Form form) {
    try (ClipTokenizer t = load(form, Pad.END_OF_TEXT)) {
      assertThat(t.maxLength()).isEqualTo(77);
      assertThat(t.bosId()).isEqualTo(BOS);
      assertThat(t.eosId()).isEqualTo(EOS);
      assertThat(t.encode("a photo of a cat"))
          .containsExactly(padded(77, EOS, BOS, A, PHOTO, OF, A, CAT, EOS));
      assertThat(t.encode("a red circle on a blue background"))
          .containsExactly(padded(77, EOS, BOS, A, RED, CIRCLE, ON, A, BLUE, BACKGROUND, EOS));
      for (String word : TokenizerFixtures.WORDS) {
        assertThat(t.encode(word)).startsWith(BOS, VOCAB.wordId(word), EOS);
      }
    }
  }

  @Test
  @DisplayName("A model's own length and pad id frame the same tokens; truncation keeps EOS last")
  void encodesToAGivenLengthAndPad() {
    try (ClipTokenizer t = load(Form.TOKENIZER_JSON, Pad.EXCLAMATION)) {
      assertThat(t.encode("a photo of a cat", 10, EOS))
          .containsExactly(padded(10, EOS, BOS, A, PHOTO, OF, A, CAT, EOS));
      assertThat(t.encode("a photo of a cat", 5, 0)).containsExactly(BOS, A, PHOTO, OF, EOS);
      assertThat(t.encode("", 2, 0)).containsExactly(BOS, EOS);
      assertThat(t.encode("a cat", 80, 7)).hasSize(80).endsWith(7, 7);
      assertThatThrownBy(() -> t.encode("a", 1, 0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("room for BOS and EOS");
    }
  }

  @Test
  @DisplayName("tokenizer.json and vocab.json + merges.txt give the same ids")
  void formsAgree() {
    try (ClipTokenizer json = load(Form.TOKENIZER_JSON, Pad.EXCLAMATION);
        ClipTokenizer bpe = load(Form.VOCAB_AND_MERGES, Pad.EXCLAMATION)) {
      for (String prompt : PROMPTS) {
        assertThat(bpe.encode(prompt)).as(prompt).containsExactly(json.encode(prompt));
      }
    }
  }

  @Test
  @DisplayName("Text is lower-cased, NFC-normalised, whitespace runs collapsed and ends stripped")
  void cleanup() {
    try (ClipTokenizer t = load(Form.TOKENIZER_JSON, Pad.EXCLAMATION)) {
      int[] plain = t.encode("a red circle on a blue background");
      assertThat(t.encode("  A   RED\tCircle\n\n on \u00A0a BLUE\r\nbackGROUND  "))
          .containsExactly(plain);
      assertThat(t.encode("cafe\u0301")).containsExactly(t.encode("café"));
      assertThat(ClipTokenizer.clean(" \tA\u2003B\n")).isEqualTo("a b");
    }
  }

  @Test
  @DisplayName("Empty and blank text give BOS, EOS and padding")
  void emptyText() {
    try (ClipTokenizer t = load(Form.TOKENIZER_JSON, Pad.EXCLAMATION)) {
      assertThat(t.encode("")).containsExactly(padded(77, 0, BOS, EOS));
      assertThat(t.encode(" \n\t ")).containsExactly(padded(77, 0, BOS, EOS));
    }
  }

  @ParameterizedTest
  @EnumSource(Form.class)
  @DisplayName("Unknown words, punctuation, digits and non-ASCII fall back to byte pieces")
  void bytePieces(Form form) {
    try (ClipTokenizer t = load(form, Pad.EXCLAMATION)) {
      // é is C3 A9; ☕ is E2 98 95, and 0x98, 0x95 map beyond U+0100.
      assertThat(t.encode("café ☕"))
          .startsWith(BOS, CA, 69, 127, 358, 158, 246, 499, EOS, 0)
          .startsWith(
              BOS,
              CA,
              VOCAB.byteId('f', false),
              VOCAB.byteId(0xC3, false),
              VOCAB.byteId(0xA9, true),
              VOCAB.byteId(0xE2, false),
              VOCAB.byteId(0x98, false),
              VOCAB.byteId(0x95, true),
              EOS);
      // Punctuation, single digits and contractions are words of their own.
      assertThat(t.encode("dog! 42 cat's cats"))
          .startsWith(BOS, 67, 78, 326, 256, 275, 273, CAT, 6, 338, CA, 83, 338, EOS, 0);
      int[] ids = t.encode("über-straße, naïve résumé; 東京 🙂🙂 \u0007");
      assertThat(ids).hasSize(77).startsWith(BOS);
      assertThat(t.eosIndex(ids)).isGreaterThan(20);
    }
  }

  @Test
  @DisplayName("Long text is truncated to 77 keeping EOS at position 76")
  void truncation() {
    try (ClipTokenizer t = load(Form.VOCAB_AND_MERGES, Pad.END_OF_TEXT)) {
      int[] ids = t.encode(String.join(" ", Collections.nCopies(100, "cat")));
      assertThat(ids).hasSize(77);
      assertThat(ids[0]).isEqualTo(BOS);
      assertThat(Arrays.copyOfRange(ids, 1, 76)).containsOnly(CAT);
      assertThat(ids[76]).isEqualTo(EOS);
      assertThat(t.eosIndex(ids)).isEqualTo(76);
      String exact = String.join(" ", Collections.nCopies(75, "cat"));
      assertThat(t.encode(exact)).containsExactly(ids);
      assertThat(t.encode(exact + " red")).containsExactly(ids);
    }
  }

  @Test
  @DisplayName("model_max_length sets the length; the 1e30 'unset' sentinel means 77")
  void maxLengthFromConfig() throws IOException {
    Path dir = VOCAB.write(tmp.resolve("short"), Form.TOKENIZER_JSON, Pad.EXCLAMATION, 8);
    try (ClipTokenizer t = ClipTokenizer.load(dir)) {
      assertThat(t.maxLength()).isEqualTo(8);
      assertThat(t.encode("a cat")).containsExactly(BOS, A, CAT, EOS, 0, 0, 0, 0);
      assertThat(t.encode("a red circle on a blue background"))
          .containsExactly(BOS, A, RED, CIRCLE, ON, A, BLUE, EOS);
    }
    editJson(
        dir.resolve("tokenizer_config.json"),
        c -> c.put("model_max_length", BigInteger.TEN.pow(30)));
    try (ClipTokenizer t = ClipTokenizer.load(dir)) {
      assertThat(t.maxLength()).isEqualTo(77);
    }
  }

  @ParameterizedTest
  @EnumSource(Form.class)
  @DisplayName("The pad id is the declared pad token's id: '!' is 0, '<|endoftext|>' is EOS")
  void padIds(Form form) {
    try (ClipTokenizer t = load(form, Pad.EXCLAMATION)) {
      assertThat(t.padId()).isZero();
      assertThat(t.encode("a cat")).containsExactly(padded(77, 0, BOS, A, CAT, EOS));
    }
    try (ClipTokenizer t =
        ClipTokenizer.load(
            TokenizerFixtures.writeClip(tmp.resolve("eos"), form, Pad.END_OF_TEXT))) {
      assertThat(t.padId()).isEqualTo(EOS);
      assertThat(t.encode("a cat")).containsExactly(padded(77, EOS, BOS, A, CAT, EOS));
    }
  }

  @Test
  @DisplayName(
      "special_tokens_map.json wins over tokenizer_config.json; with neither, CLIP defaults")
  void specialTokenSources() throws IOException {
    Path dir = TokenizerFixtures.writeClip(tmp.resolve("d"), Form.TOKENIZER_JSON, Pad.EXCLAMATION);
    editJson(dir.resolve("special_tokens_map.json"), m -> m.put("pad_token", "<|endoftext|>"));
    try (ClipTokenizer t = ClipTokenizer.load(dir)) {
      assertThat(t.padId()).isEqualTo(EOS);
    }
    Files.delete(dir.resolve("special_tokens_map.json"));
    try (ClipTokenizer t = ClipTokenizer.load(dir)) {
      assertThat(t.padId()).isZero();
    }
    Files.delete(dir.resolve("tokenizer_config.json"));
    try (ClipTokenizer t = ClipTokenizer.load(dir)) {
      assertThat(t.padId()).isEqualTo(EOS);
      assertThat(t.bosId()).isEqualTo(BOS);
      assertThat(t.maxLength()).isEqualTo(77);
    }
  }

  @Test
  @DisplayName("eosIndex is the first EOS, also when the pad is EOS or the text holds one")
  void eosIndex() {
    try (ClipTokenizer pad0 = load(Form.TOKENIZER_JSON, Pad.EXCLAMATION);
        ClipTokenizer padEos =
            ClipTokenizer.load(
                TokenizerFixtures.writeClip(tmp.resolve("e"), Form.BOTH, Pad.END_OF_TEXT))) {
      assertThat(pad0.eosIndex(pad0.encode("a red circle"))).isEqualTo(4);
      assertThat(padEos.eosIndex(padEos.encode("a red circle"))).isEqualTo(4);
      assertThat(padEos.eosIndex(padEos.encode(""))).isEqualTo(1);
      // A special-token string in the text is that token, as in the reference tokenizers.
      assertThat(pad0.encode("a <|endoftext|> cat")).startsWith(BOS, A, EOS, CAT, EOS, 0);
      assertThat(pad0.eosIndex(pad0.encode("a <|endoftext|> cat"))).isEqualTo(2);
      assertThatThrownBy(() -> pad0.eosIndex(new int[] {BOS, A, 0}))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void encodeLongWidens() {
    try (ClipTokenizer t = load(Form.TOKENIZER_JSON, Pad.EXCLAMATION)) {
      assertThat(t.encodeLong("a red circle"))
          .containsExactly(Arrays.stream(t.encode("a red circle")).asLongStream().toArray());
    }
  }

  @Test
  @DisplayName("Many threads encoding at once get the single-threaded results")
  void threadSafety() throws Exception {
    try (ClipTokenizer t = load(Form.VOCAB_AND_MERGES, Pad.EXCLAMATION)) {
      List<int[]> expected = PROMPTS.stream().map(t::encode).toList();
      ExecutorService pool = Executors.newFixedThreadPool(16);
      try {
        List<Future<Boolean>> results = new ArrayList<>();
        for (int thread = 0; thread < 16; thread++) {
          int offset = thread;
          results.add(
              pool.submit(
                  () ->
                      IntStream.range(0, 400)
                          .allMatch(
                              i -> {
                                int p = (i + offset) % PROMPTS.size();
                                return Arrays.equals(t.encode(PROMPTS.get(p)), expected.get(p));
                              })));
        }
        for (Future<Boolean> result : results) {
          assertThat(result.get()).isTrue();
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  @DisplayName("A closed tokenizer refuses to encode; closing twice is harmless")
  void close() {
    ClipTokenizer t = load(Form.TOKENIZER_JSON, Pad.EXCLAMATION);
    t.close();
    t.close();
    assertThatThrownBy(() -> t.encode("a cat")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  @DisplayName("Loading puts DJL in offline mode, so it neither downloads nor calls home")
  void djlOffline() {
    try (ClipTokenizer t = load(Form.TOKENIZER_JSON, Pad.EXCLAMATION)) {
      assertThat(t.encode("a cat")).startsWith(BOS, A, CAT, EOS);
      assertThat(System.getProperty("ai.djl.offline")).isEqualTo("true");
      assertThat(System.getProperty("OPT_OUT_TRACKING")).isEqualTo("true");
    }
  }

  private static void editJson(Path file, java.util.function.Consumer<ObjectNode> edit)
      throws IOException {
    ObjectNode json = (ObjectNode) JSON.readTree(file.toFile());
    edit.accept(json);
    Files.writeString(file, JSON.writeValueAsString(json));
  }
}
