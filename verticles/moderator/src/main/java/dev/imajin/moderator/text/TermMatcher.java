package dev.imajin.moderator.text;

import dev.imajin.moderator.text.PromptNormaliser.Token;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One rule term, compiled for matching against a prompt's skeleton.
 *
 * <p>The term's key is its skeleton tokens concatenated, with a letter that repeats the last letter
 * across a token boundary squeezed as within a token ("glass skull" gives {@code giaskui}). The
 * term matches where the same concatenation of one or more consecutive prompt tokens equals the
 * key, starting at the start of a token and ending at the end of a token, or before a plural {@code
 * s} or {@code es} that ends the last token. This covers the term's tokens appearing as consecutive
 * prompt tokens as well as re-split spellings ("blackstar", "bl ack st ar"), and never matches a
 * term inside a longer word ("starfish"). A spaced token (joined from single characters) has no
 * known word boundaries, so a match may start or end anywhere inside it ("a b l a c k s t a r").
 *
 * <p>Each candidate start walks at most the key's length plus the tokens it crosses, and only
 * starts whose first character is the key's are tried, so a prompt costs time linear in its length
 * times the key's. Immutable and thread-safe.
 */
final class TermMatcher {
  private static final String NOT_WORD_BEFORE = "(?<![\\p{L}\\p{N}_])";
  private static final String NOT_WORD_AFTER = "(?![\\p{L}\\p{N}_])";

  private final String term;
  private final String key;
  private final Pattern plain;

  TermMatcher(String term) {
    this.term = term;
    this.key = key(PromptNormaliser.skeleton(term));
    if (key.isEmpty()) {
      throw new IllegalArgumentException("term '" + term + "' has no letters or digits");
    }
    this.plain = plainPattern(term);
  }

  /** The term as written in its rule. */
  String term() {
    return term;
  }

  /** Whether the term matches the prompt's skeleton. */
  boolean matches(List<Token> tokens) {
    char first = key.charAt(0);
    for (int i = 0; i < tokens.size(); i++) {
      Token token = tokens.get(i);
      int starts = token.spaced() ? token.text().length() : 1;
      for (int offset = 0; offset < starts; offset++) {
        if (token.text().charAt(offset) == first && matchesFrom(tokens, i, offset)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Whether the term occurs in the prompt's plain form as whole words (its words separated by any
   * whitespace, a plural "s" or "es" allowed); when not, a hit was obfuscated.
   */
  boolean occursPlainly(String plainPrompt) {
    return plain.matcher(plainPrompt).find();
  }

  private boolean matchesFrom(List<Token> tokens, int start, int offset) {
    int p = 0;
    for (int j = start; j < tokens.size(); j++) {
      String text = tokens.get(j).text();
      for (int c = j == start ? offset : 0; c < text.length(); c++) {
        char ch = text.charAt(c);
        if (ch == key.charAt(p)) {
          p++;
          if (p == key.length()) {
            return endsMatch(tokens.get(j), c + 1);
          }
        } else if (p == 0 || ch != key.charAt(p - 1) || !Character.isLetter(ch)) {
          return false;
        }
      }
    }
    return false;
  }

  private static boolean endsMatch(Token token, int end) {
    String rest = token.text().substring(end);
    return token.spaced() || rest.isEmpty() || rest.equals("s") || rest.equals("es");
  }

  /** The tokens concatenated, a letter repeated across a boundary squeezed. */
  static String key(List<Token> tokens) {
    StringBuilder key = new StringBuilder();
    for (Token token : tokens) {
      String text = token.text();
      int first = text.codePointAt(0);
      boolean repeats =
          !key.isEmpty() && Character.isLetter(first) && key.codePointBefore(key.length()) == first;
      key.append(repeats ? text.substring(Character.charCount(first)) : text);
    }
    return key.toString();
  }

  private static Pattern plainPattern(String term) {
    String lower = Normalizer.normalize(term, Normalizer.Form.NFC).toLowerCase(Locale.ROOT).strip();
    String words =
        Arrays.stream(lower.split("[\\s\\p{Z}]+"))
            .map(Pattern::quote)
            .collect(Collectors.joining("\\s+"));
    return Pattern.compile(NOT_WORD_BEFORE + words + "(?:e?s)?" + NOT_WORD_AFTER);
  }
}
