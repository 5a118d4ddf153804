package dev.imajin.moderator.text;

import java.util.HashMap;
import java.util.Map;

/**
 * A small explicit table of letters that look like Latin letters, for {@link PromptNormaliser}. It
 * is not Unicode's confusables list: it holds the look-alikes that survive NFKC and the removal of
 * combining marks, and that an obfuscated prompt is likely to use.
 *
 * <ul>
 *   <li>Capitals, looked up before lower-casing because their small letters look different: Greek
 *       Η→h, Μ→m, Ν→n, Υ→y, Ζ→z. (Greek capitals with a small look-alike of the same letter, such
 *       as Α or Ρ, are left to lower-casing.)
 *   <li>Cyrillic small letters: а→a, в→b, е→e, к→k, м→m, н→h, о→o, п→n, р→p, с→c, т→t, у→y, х→x,
 *       ь→b, і→i, ј→j, ѕ→s, ԁ→d, ԛ→q, ԝ→w, ӏ→l, һ→h, ү→y, ѵ→v.
 *   <li>Greek small letters: α→a, β→b, γ→y, ε→e, η→n, ι→i, κ→k, μ→u, ν→v, ο→o, ρ→p, τ→t, υ→u, χ→x,
 *       ω→w, ϲ→c.
 *   <li>Latin letters with no decomposition: ı→i, ł→l, ß→ss, æ→ae, œ→oe, ø→o, đ→d, ħ→h, ŧ→t, ƀ→b,
 *       ɑ→a, ɡ→g, and the small capitals ᴀ ʙ ᴄ ᴅ ᴇ ꜰ ɢ ʜ ɪ ᴊ ᴋ ʟ ᴍ ɴ ᴏ ᴘ ʀ ꜱ ᴛ ᴜ ᴠ ᴡ ʏ ᴢ to their
 *       letters.
 * </ul>
 */
final class Confusables {
  private static final Map<Integer, String> CAPITALS = table("Ηh Μm Νn Υy Ζz");

  private static final Map<Integer, String> SMALL =
      table(
          "аa вb еe кk мm нh оo пn рp сc тt уy хx ьb іi јj ѕs ԁd ԛq ԝw ӏl һh үy ѵv"
              + " αa βb γy εe ηn ιi κk μu νv οo ρp τt υu χx ωw ϲc"
              + " ıi łl ßss æae œoe øo đd ħh ŧt ƀb ɑa ɡg"
              + " ᴀa ʙb ᴄc ᴅd ᴇe ꜰf ɢg ʜh ɪi ᴊj ᴋk ʟl ᴍm ɴn ᴏo ᴘp ʀr ꜱs ᴛt ᴜu ᴠv ᴡw ʏy ᴢz");

  private Confusables() {}

  /** Maps the capitals of the table; everything else is copied. */
  static String capitals(String text) {
    return map(text, CAPITALS);
  }

  /** Maps the small letters of the table; everything else is copied. */
  static String small(String text) {
    return map(text, SMALL);
  }

  private static String map(String text, Map<Integer, String> table) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints()
        .forEach(
            cp -> {
              String mapped = table.get(cp);
              if (mapped == null) {
                out.appendCodePoint(cp);
              } else {
                out.append(mapped);
              }
            });
    return out.toString();
  }

  /** Parses space-separated entries: a look-alike code point followed by its replacement. */
  private static Map<Integer, String> table(String entries) {
    Map<Integer, String> table = new HashMap<>();
    for (String entry : entries.split(" ")) {
      int cp = entry.codePointAt(0);
      table.put(cp, entry.substring(Character.charCount(cp)));
    }
    return Map.copyOf(table);
  }
}
