package io.cnai.core;

import java.util.Objects;

/**
 * The one error type of cnai. It carries its kind (which decides the exit code), where the problem
 * is (file, line, column) when it comes from an input file, what is wrong, and what to do next. It
 * is printed once, at the top, without a stack trace unless asked for.
 */
public class CnaiException extends RuntimeException {
  private final ErrorKind kind;
  private final Location location;
  private final String problem;
  private final String hint;

  public CnaiException(ErrorKind kind, Location location, String problem, String hint) {
    this(kind, location, problem, hint, null);
  }

  public CnaiException(
      ErrorKind kind, Location location, String problem, String hint, Throwable cause) {
    super(format(location, problem, hint), cause);
    this.kind = Objects.requireNonNull(kind);
    this.location = location;
    this.problem = Objects.requireNonNull(problem);
    this.hint = hint;
  }

  public static CnaiException badInput(Location location, String problem, String hint) {
    return new CnaiException(ErrorKind.BAD_INPUT, location, problem, hint);
  }

  public static CnaiException badInput(String problem, String hint) {
    return new CnaiException(ErrorKind.BAD_INPUT, null, problem, hint);
  }

  public static CnaiException failure(String problem, String hint, Throwable cause) {
    return new CnaiException(ErrorKind.FAILURE, null, problem, hint, cause);
  }

  public static CnaiException failure(String problem, String hint) {
    return new CnaiException(ErrorKind.FAILURE, null, problem, hint);
  }

  public static CnaiException refused(String problem, String hint) {
    return new CnaiException(ErrorKind.VERIFICATION, null, problem, hint);
  }

  public ErrorKind kind() {
    return kind;
  }

  public int exitCode() {
    return kind.exitCode();
  }

  /** Where the problem is, or null when it does not come from a file. */
  public Location location() {
    return location;
  }

  /** What is wrong, without the location. */
  public String problem() {
    return problem;
  }

  /** What to do next, or null. */
  public String hint() {
    return hint;
  }

  private static String format(Location location, String problem, String hint) {
    StringBuilder sb = new StringBuilder();
    if (location != null) {
      sb.append(location).append(": ");
    }
    sb.append(problem);
    if (hint != null && !hint.isBlank()) {
      sb.append("\n  hint: ").append(hint);
    }
    return sb.toString();
  }
}
