package dev.imajin.moderator.text;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Turns text into a canonical skeleton: a list of tokens under which obfuscated spellings of a word
 * compare equal. Rule terms and prompts go through the same function, so a term matches whatever
 * spells the same skeleton. The steps, in order:
 *
 * <ol>
 *   <li>Unicode NFKC: fullwidth, circled, mathematical and parenthesised letters and ligatures
 *       become plain letters.
 *   <li>Default-ignorable and invisible characters are dropped: every format character (zero-width
 *       space, joiner and non-joiner, word joiner, byte-order mark, soft hyphen, the bidi controls
 *       U+202A to U+202E and U+2066 to U+2069, tags), the variation selectors, the combining
 *       grapheme joiner and the Hangul fillers.
 *   <li>NFKD, then every combining mark is dropped ({@code é} becomes {@code e}).
 *   <li>Lower-casing with {@link Locale#ROOT}, with the look-alike table of {@link Confusables}
 *       applied to a few capitals before and to small letters after it (Cyrillic {@code а} becomes
 *       {@code a}, {@code ß} becomes {@code ss}).
 *   <li>Tokenising: a token is a run of letters, digits and the leetspeak symbols {@code @ $ | +
 *       €}, plus {@code !} where a letter or digit follows it (so a closing {@code !} is
 *       punctuation). Everything else separates tokens. Within one whitespace-free stretch, single
 *       characters separated only by {@code . - _ * · ' ’ •} and dashes are joined ({@code
 *       b.l.a.c.k}); then every run of two or more consecutive single-character tokens is joined
 *       into one token ({@code s t a r}), which is marked as spaced. A possessive {@code 's} after
 *       a word is dropped.
 *   <li>Leetspeak, only in a token with at least one letter: {@code 0→o 1→i 3→e 4→a 5→s 6→g 7→t 8→b
 *       9→g @→a $→s !→i |→i +→t €→e}. In a token without letters the symbols separate and the
 *       digits stay, so the {@code 3} of "3 red stars" stays {@code 3}.
 *   <li>The look-alike class {@code i l 1 |}: {@code l} becomes {@code i} as well, so "black",
 *       "bIack" and "b1ack" all give {@code biack}.
 *   <li>Runs of the same letter are squeezed to one letter ("staaar" gives {@code star}, "glass"
 *       gives {@code gias}). Digits are not squeezed.
 * </ol>
 *
 * <p>The skeleton is not meant to be read: it exists to be compared. Stateless and thread-safe.
 */
public final class PromptNormaliser {
  private static final String JOINERS = ".-_*·'’•‐‑‒–—";
  private static final String SYMBOLS = "@$|+€";

  private PromptNormaliser() {}

  /**
   * A normalised text.
   *
   * @param tokens the skeleton tokens, in text order
   * @param plain the text NFC-normalised and lower-cased, whitespace runs collapsed to one space
   *     and the ends trimmed; used to tell whether a hit was obfuscated
   */
  public record Normalised(List<String> tokens, String plain) {
    /** Copies the tokens. */
    public Normalised {
      tokens = List.copyOf(tokens);
      Objects.requireNonNull(plain, "plain");
    }
  }

  /**
   * A skeleton token. A spaced token was joined from a run of single characters, so the word
   * boundaries inside it are unknown.
   */
  record Token(String text, boolean spaced) {}

  /** A stretch of token characters and the separator characters before it. */
  private record Piece(String text, String before) {}

  /** Normalises a text (a prompt or a rule term). */
  public static Normalised normalise(String text) {
    List<String> tokens = skeleton(text).stream().map(Token::text).toList();
    return new Normalised(tokens, plain(text));
  }

  /** The skeleton tokens of a text, with the spaced marks. */
  static List<Token> skeleton(String text) {
    List<String> glued = glue(pieces(fold(text)));
    List<Token> tokens = new ArrayList<>();
    for (Token joined : joinRuns(glued)) {
      finish(joined, tokens);
    }
    return tokens;
  }

  /** The plain form: NFC, lower case, whitespace runs collapsed to one space, ends trimmed. */
  static String plain(String text) {
    String lower = Normalizer.normalize(text, Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
    StringBuilder out = new StringBuilder(lower.length());
    boolean space = false;
    for (int i = 0; i < lower.length(); ) {
      int cp = lower.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
        space = true;
        continue;
      }
      if (space && !out.isEmpty()) {
        out.append(' ');
      }
      space = false;
      out.appendCodePoint(cp);
    }
    return out.toString();
  }

  /** Steps 1 to 4: compatibility forms, invisible characters, marks, case and look-alikes. */
  static String fold(String text) {
    String s = Normalizer.normalize(text, Normalizer.Form.NFKC);
    s = Normalizer.normalize(drop(s), Normalizer.Form.NFKD);
    s = Confusables.capitals(drop(s)).toLowerCase(Locale.ROOT);
    return Confusables.small(drop(s));
  }

  /** Drops ignorable characters and combining marks. */
  private static String drop(String s) {
    StringBuilder out = new StringBuilder(s.length());
    s.codePoints().filter(cp -> !isIgnorable(cp) && !isMark(cp)).forEach(out::appendCodePoint);
    return out.toString();
  }

  static boolean isIgnorable(int cp) {
    return Character.getType(cp) == Character.FORMAT
        || cp == 0x034F
        || cp == 0x115F
        || cp == 0x1160
        || cp == 0x3164
        || cp == 0xFFA0
        || (cp >= 0x180B && cp <= 0x180F)
        || (cp >= 0xFE00 && cp <= 0xFE0F)
        || (cp >= 0xE0100 && cp <= 0xE01EF);
  }

  private static boolean isMark(int cp) {
    int type = Character.getType(cp);
    return type == Character.NON_SPACING_MARK
        || type == Character.COMBINING_SPACING_MARK
        || type == Character.ENCLOSING_MARK;
  }

  /** Splits folded text into stretches of token characters, each squeezed. */
  private static List<Piece> pieces(String folded) {
    List<Piece> pieces = new ArrayList<>();
    StringBuilder before = new StringBuilder();
    StringBuilder word = new StringBuilder();
    for (int i = 0; i < folded.length(); ) {
      int cp = folded.codePointAt(i);
      i += Character.charCount(cp);
      boolean inWord = cp == '!' ? bangInWord(folded, i) : isTokenChar(cp);
      if (inWord) {
        word.appendCodePoint(cp);
      } else {
        if (!word.isEmpty()) {
          pieces.add(new Piece(squeeze(word.toString()), before.toString()));
          word.setLength(0);
          before.setLength(0);
        }
        before.appendCodePoint(cp);
      }
    }
    if (!word.isEmpty()) {
      pieces.add(new Piece(squeeze(word.toString()), before.toString()));
    }
    return pieces;
  }

  /** Whether the {@code !} just before {@code next} is followed, past further ones, by a token. */
  private static boolean bangInWord(String s, int next) {
    int i = next;
    while (i < s.length() && s.charAt(i) == '!') {
      i++;
    }
    return i < s.length() && isTokenChar(s.codePointAt(i));
  }

  private static boolean isTokenChar(int cp) {
    return Character.isLetterOrDigit(cp) || SYMBOLS.indexOf(cp) >= 0;
  }

  /**
   * Joins single characters separated only by joiner characters, and drops a possessive {@code 's}
   * after a word (so "the black's tar" does not read as "black star").
   */
  private static List<String> glue(List<Piece> pieces) {
    List<String> words = new ArrayList<>();
    boolean previousSingle = false;
    for (Piece piece : pieces) {
      boolean single = isSingle(piece.text());
      if (isPossessive(piece) && !words.isEmpty() && !previousSingle) {
        continue;
      }
      if (single && previousSingle && isJoiners(piece.before())) {
        int last = words.size() - 1;
        words.set(last, words.get(last) + piece.text());
      } else {
        words.add(piece.text());
      }
      previousSingle = single;
    }
    return words;
  }

  private static boolean isPossessive(Piece piece) {
    return piece.text().equals("s") && (piece.before().equals("'") || piece.before().equals("’"));
  }

  private static boolean isJoiners(String separator) {
    return !separator.isEmpty() && separator.chars().allMatch(c -> JOINERS.indexOf(c) >= 0);
  }

  /** Joins every run of two or more single-character words into one spaced token. */
  private static List<Token> joinRuns(List<String> words) {
    List<Token> tokens = new ArrayList<>();
    int i = 0;
    while (i < words.size()) {
      int end = i;
      while (end < words.size() && isSingle(words.get(end))) {
        end++;
      }
      if (end - i >= 2) {
        tokens.add(new Token(String.join("", words.subList(i, end)), true));
        i = end;
      } else {
        tokens.add(new Token(words.get(i), false));
        i++;
      }
    }
    return tokens;
  }

  /** Steps 6 to 8 for one token; a token without letters leaves only its digit runs. */
  private static void finish(Token token, List<Token> out) {
    String text = token.text();
    if (text.codePoints().anyMatch(Character::isLetter)) {
      StringBuilder mapped = new StringBuilder(text.length());
      text.codePoints().map(cp -> cp == 'l' ? 'i' : leet(cp)).forEach(mapped::appendCodePoint);
      out.add(new Token(squeeze(mapped.toString()), token.spaced()));
      return;
    }
    StringBuilder digits = new StringBuilder();
    text.codePoints()
        .forEach(
            cp -> {
              if (Character.isDigit(cp)) {
                digits.appendCodePoint(cp);
              } else if (!digits.isEmpty()) {
                out.add(new Token(digits.toString(), token.spaced()));
                digits.setLength(0);
              }
            });
    if (!digits.isEmpty()) {
      out.add(new Token(digits.toString(), token.spaced()));
    }
  }

  private static int leet(int cp) {
    return switch (cp) {
      case '0' -> 'o';
      case '1', '!', '|' -> 'i';
      case '3', '€' -> 'e';
      case '4', '@' -> 'a';
      case '5', '$' -> 's';
      case '6', '9' -> 'g';
      case '7', '+' -> 't';
      case '8' -> 'b';
      default -> cp;
    };
  }

  private static boolean isSingle(String word) {
    return word.codePointCount(0, word.length()) == 1;
  }

  /** Squeezes runs of the same letter to one letter. */
  static String squeeze(String s) {
    StringBuilder out = new StringBuilder(s.length());
    int previous = -1;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (cp != previous || !Character.isLetter(cp)) {
        out.appendCodePoint(cp);
      }
      previous = cp;
    }
    return out.toString();
  }
}
