package io.cnai.installer.verify;

import io.cnai.core.CnaiException;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** An expected value of a certificate field: an exact string or a whole-string regular expression. */
public record Match(String value, boolean regex) {
  public Match {
    Objects.requireNonNull(value, "value");
    if (value.isBlank()) {
      throw CnaiException.badInput("an empty identity or issuer was given", "pass the expected value");
    }
    if (regex) {
      try {
        Pattern.compile(value);
      } catch (PatternSyntaxException e) {
        throw CnaiException.badInput(
            "the regular expression '" + value + "' is invalid: " + e.getDescription(),
            "fix the expression (Java syntax; it must match the whole value)");
      }
    }
  }

  public static Match exact(String value) {
    return new Match(value, false);
  }

  public static Match regex(String value) {
    return new Match(value, true);
  }

  /** True when the candidate equals the value, or the whole candidate matches the expression. */
  public boolean test(String candidate) {
    if (candidate == null) {
      return false;
    }
    return regex ? Pattern.compile(value).matcher(candidate).matches() : value.equals(candidate);
  }

  @Override
  public String toString() {
    return regex ? "~/" + value + "/" : value;
  }
}
