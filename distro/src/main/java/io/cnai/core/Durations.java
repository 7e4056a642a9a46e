package io.cnai.core;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Durations as users write them: {@code 90s}, {@code 5m}, {@code 1h}, {@code 500ms}, or ISO-8601. */
public final class Durations {
  private Durations() {}

  /** Parses a positive duration; {@code flag} names where it came from in the error. */
  public static Duration parse(String flag, String text) {
    try {
      String t = text.trim().toLowerCase(Locale.ROOT);
      Duration d;
      if (t.endsWith("ms")) {
        d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      } else if (t.endsWith("s")) {
        d = Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
      } else if (t.endsWith("m")) {
        d = Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
      } else if (t.endsWith("h")) {
        d = Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1)));
      } else {
        d = Duration.parse(text);
      }
      if (d.isNegative() || d.isZero()) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException | DateTimeParseException e) {
      throw CnaiException.badInput(flag + " '" + text + "' is not a duration", "write e.g. 90s, 5m or 1h");
    }
  }
}
