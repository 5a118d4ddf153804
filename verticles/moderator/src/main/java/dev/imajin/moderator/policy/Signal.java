package dev.imajin.moderator.policy;

import dev.imajin.contracts.moderator.ModerationCategory;

/**
 * One thing a layer observed that policy rules can test: {@code label:<label>} (image classifier),
 * {@code bank:<bank id>} (hash match), {@code rule:<text rule id>} and {@code concept:<concept id>}
 * (prohibited content), {@code face:minor} (age estimation), {@code identity:protected} and {@code
 * identity:consented_other_owner} (identity verification).
 *
 * @param name the signal, as rules name it
 * @param score its strength in [0, 1] (a probability, a similarity, 1 for a rule hit; for a bank
 *     match {@code 1 - distance / 256})
 * @param category the category the signal carries itself (a bank's), or null
 * @param detail a phrase saying what was observed, for the reason's sentence
 */
public record Signal(String name, double score, ModerationCategory category, String detail) {
  public Signal {
    if (name == null || name.indexOf(':') < 1) {
      throw new IllegalArgumentException("a signal is <kind>:<name>, was " + name);
    }
  }

  /** The reason code of the signal: its name with the first {@code :} as {@code .}. */
  public String code() {
    return name.replaceFirst(":", ".");
  }
}
