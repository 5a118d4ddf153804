package dev.imajin.moderator.incidents;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Redis stream entry id: the milliseconds of Redis's clock and a sequence number within them. */
record StreamId(long ms, long seq) implements Comparable<StreamId> {
  private static final Pattern FORM = Pattern.compile("(\\d{1,19})-(\\d{1,19})");

  /** The id written as {@code <ms>-<seq>}, or null when the text is not one. */
  static StreamId parse(String text) {
    Matcher m = FORM.matcher(text);
    if (!m.matches()) {
      return null;
    }
    try {
      return new StreamId(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  @Override
  public int compareTo(StreamId other) {
    int byMs = Long.compare(ms, other.ms);
    return byMs != 0 ? byMs : Long.compare(seq, other.seq);
  }

  @Override
  public String toString() {
    return ms + "-" + seq;
  }
}
