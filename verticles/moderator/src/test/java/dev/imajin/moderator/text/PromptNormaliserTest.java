package dev.imajin.moderator.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The skeleton: each obfuscation step on its own, and the plain form. */
class PromptNormaliserTest {
  static List<String> tokens(String text) {
    return PromptNormaliser.normalise(text).tokens();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "black",
        "BLACK",
        "b1ack",
        "bIack",
        "b|ack",
        "bl@ck",
        "ｂｌａｃｋ",
        "𝐛𝐥𝐚𝐜𝐤",
        "ⓑⓛⓐⓒⓚ",
        "⒝⒧⒜⒞⒦",
        "blаck",
        "ВLАСК",
        "bӏack",
        "bʟᴀᴄᴋ",
        "bláck",
        "bla\u0301ck",
        "bl\u200Back",
        "b\u200C\u200Dlack",
        "bl\u2060a\uFEFFck",
        "bla\u00ADck",
        "bla\uFE0Fck",
        "\u202Eblack\u202C",
        "\u2066black\u2069",
        "blaaack",
        "bbllaacckk",
        "b.l.a.c.k",
        "b-l-a-c-k",
        "b_l_a_c_k",
        "b*l*a*c*k",
        "b·l·a·c·k",
        "b'l'a'c'k",
        "b l a c k",
        "b 1 a c k",
        "b.1.@.c.k",
        "błack"
      })
  @DisplayName("obfuscated spellings of 'black' give the skeleton of 'black'")
  void obfuscationsOfBlack(String spelling) {
    assertThat(tokens(spelling)).as(spelling).containsExactly("biack");
  }

  @Test
  @DisplayName("a word split by a space stays two tokens; the matcher joins them")
  void resplitWord() {
    assertThat(tokens("bl ack")).containsExactly("bi", "ack");
  }

  @Test
  @DisplayName("leetspeak maps digits and symbols inside words with a letter")
  void leetspeak() {
    assertThat(tokens("st4r")).containsExactly("star");
    assertThat(tokens("$tar")).containsExactly("star");
    assertThat(tokens("sh!ny")).containsExactly("shiny");
    assertThat(tokens("r€d 5t+r")).containsExactly("red", "str");
    assertThat(tokens("0x6 7 8 9")).containsExactly("oxg", "789");
    assertThat(tokens("s t 4 r")).containsExactly("star");
  }

  @Test
  @DisplayName("a token of digits alone, and a closing '!', stay as they are")
  void digitsAndPunctuation() {
    assertThat(tokens("3 red stars")).containsExactly("3", "red", "stars");
    assertThat(tokens("a star!")).containsExactly("a", "star");
    assertThat(tokens("wow!!! 100%")).containsExactly("wow", "100");
    assertThat(tokens("$5 + 1")).containsExactly("5", "1");
    assertThat(tokens("cat | dog")).containsExactly("cat", "dog");
  }

  @Test
  @DisplayName("look-alike letters of other scripts and Latin letters without decomposition")
  void confusables() {
    assertThat(tokens("а в е к м н о р с т у х і ј ѕ ԁ ԛ ԝ")).containsExactly("abekmhopctyxijsdqw");
    assertThat(tokens("αβεηικνορτυχω")).containsExactly("abenikvoptuxw");
    assertThat(tokens("ΗΝΜ")).containsExactly("hnm");
    assertThat(tokens("straße æon œuvre ıdle")).containsExactly("strase", "aeon", "oeuvre", "idie");
    assertThat(tokens("ﬁre ﬂag")).containsExactly("fire", "fiag");
  }

  @Test
  @DisplayName("joiners glue single characters but split words; separated single characters join")
  void spacing() {
    assertThat(tokens("s-t-a-r")).containsExactly("star");
    assertThat(tokens("s_t_a_r")).containsExactly("star");
    assertThat(tokens("s t a r")).containsExactly("star");
    assertThat(tokens("star-shaped")).containsExactly("star", "shaped");
    assertThat(tokens("a b.l.a.c.k star")).containsExactly("a", "biack", "star");
    assertThat(tokens("x cross")).containsExactly("x", "cros");
    assertThat(tokens("s t a a a r")).containsExactly("star");
    assertThat(tokens("the star's s't'a'r")).containsExactly("the", "star", "star");
  }

  @Test
  @DisplayName("the spaced mark is kept for tokens joined from single characters")
  void spacedMark() {
    assertThat(PromptNormaliser.skeleton("a b l a c k star"))
        .containsExactly(
            new PromptNormaliser.Token("abiack", true), new PromptNormaliser.Token("star", false));
  }

  @Test
  @DisplayName("the plain form is NFC, lower case, single-spaced and trimmed")
  void plain() {
    PromptNormaliser.Normalised n =
        PromptNormaliser.normalise("  A  BLACK\t\n Star\u00A0Cafe\u0301 ");
    assertThat(n.plain()).isEqualTo("a black star café");
    assertThat(PromptNormaliser.normalise("bl\u200Back").plain()).isEqualTo("bl\u200Back");
  }

  @Test
  @DisplayName("text without letters or digits has no tokens")
  void empty() {
    assertThat(tokens("")).isEmpty();
    assertThat(tokens(" -- !!! \u200B ")).isEmpty();
  }
}
