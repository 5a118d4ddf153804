package dev.imajin.moderator.incidents;

import static dev.imajin.moderator.incidents.IncidentLog.CATEGORIES;
import static dev.imajin.moderator.incidents.IncidentLog.MAX_LIMIT;
import static dev.imajin.moderator.incidents.IncidentLog.VERDICT;

import dev.imajin.contracts.ImajinException;
import dev.imajin.contracts.Json;
import dev.imajin.contracts.common.FieldError;
import dev.imajin.contracts.moderator.ModerationCategory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A validated listing: the range of stream ids ({@code lower} inclusive, {@code upper} exclusive or
 * null for the newest) and the filters on an entry's small fields. A cursor is the base64url (no
 * padding) of the last stream id a page examined; the next page starts below it.
 */
record IncidentQuery(
    StreamId lower, StreamId upper, Set<String> categories, String verdict, int limit) {
  private static final Pattern CURSOR = Pattern.compile("[A-Za-z0-9_-]{1,128}");
  private static final Map<ModerationCategory, String> NAMES =
      new EnumMap<>(ModerationCategory.class);

  static {
    for (ModerationCategory c : ModerationCategory.values()) {
      NAMES.put(c, Json.mapper().convertValue(c, String.class));
    }
  }

  /** The category's contract name, as the {@code categories} field holds it. */
  static String name(ModerationCategory c) {
    return NAMES.get(c);
  }

  /**
   * The query of {@link IncidentLog#list}'s arguments, or a validation error naming each bad one.
   */
  static IncidentQuery of(
      Instant since,
      Instant until,
      Set<ModerationCategory> categories,
      String verdict,
      int limit,
      String cursor) {
    List<FieldError> errors = new ArrayList<>();
    if (limit < 1 || limit > MAX_LIMIT) {
      errors.add(new FieldError("/limit", "must be from 1 to " + MAX_LIMIT));
    }
    if (verdict != null && !verdict.equals("block") && !verdict.equals("review")) {
      errors.add(new FieldError("/verdict", "must be block or review"));
    }
    if (since != null && until != null && since.isAfter(until)) {
      errors.add(new FieldError("/since", "must not be after until"));
    }
    StreamId after = cursor == null ? null : fromCursor(cursor);
    if (cursor != null && after == null) {
      errors.add(new FieldError("/cursor", "is not the next_cursor of an incident page"));
    }
    if (!errors.isEmpty()) {
      throw ImajinException.validation("the incident query is invalid", errors);
    }
    StreamId upper = until == null ? null : new StreamId(ceilMillis(until), 0);
    if (after != null && (upper == null || after.compareTo(upper) < 0)) {
      upper = after;
    }
    Set<String> names = new HashSet<>();
    if (categories != null) {
      for (ModerationCategory c : categories) {
        if (c != null) {
          names.add(name(c));
        }
      }
    }
    StreamId lower = new StreamId(since == null ? 0 : ceilMillis(since), 0);
    return new IncidentQuery(lower, upper, names, verdict, limit);
  }

  /** The cursor that continues below the given stream id. */
  static String cursor(String streamId) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(streamId.getBytes(StandardCharsets.US_ASCII));
  }

  /** The stream id a cursor stands for, or null when it is not a cursor {@link #cursor} made. */
  static StreamId fromCursor(String cursor) {
    if (!CURSOR.matcher(cursor).matches()) {
      return null;
    }
    try {
      return StreamId.parse(
          new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The first millisecond at or after {@code t}, clamped to the range of stream ids. */
  private static long ceilMillis(Instant t) {
    if (!t.isAfter(Instant.EPOCH)) {
      return 0;
    }
    try {
      long ms = t.toEpochMilli();
      return t.getNano() % 1_000_000 == 0 ? ms : Math.addExact(ms, 1);
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  /** Whether the range holds no id at all. */
  boolean empty() {
    return upper != null && upper.compareTo(lower) <= 0;
  }

  /** The oldest end of the range, as XREVRANGE's {@code start}. */
  String start() {
    return lower.toString();
  }

  /** The newest end of the range, as XREVRANGE's {@code end}: exclusive of a cursor or until. */
  String end() {
    return upper == null ? "+" : "(" + upper;
  }

  /** Whether an entry's small fields pass the verdict and category filters. */
  boolean matches(Map<String, String> fields) {
    if (verdict != null && !verdict.equals(fields.get(VERDICT))) {
      return false;
    }
    if (categories.isEmpty()) {
      return true;
    }
    String joined = fields.get(CATEGORIES);
    if (joined == null || joined.isEmpty()) {
      return false;
    }
    for (String c : joined.split(",")) {
      if (categories.contains(c)) {
        return true;
      }
    }
    return false;
  }
}
