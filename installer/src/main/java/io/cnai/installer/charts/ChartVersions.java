package io.cnai.installer.charts;

import io.cnai.core.CnaiException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Chart versions (SemVer 2, optional {@code v} prefix) and the version constraints charts write in
 * Chart.yaml {@code dependencies[].version}, with the rules Helm uses: exact versions, {@code *} and
 * {@code x} wildcards ({@code 1.x}, {@code 2.x.x}), {@code ~1.2.3} (patch updates), {@code ^1.2.3}
 * (no major change; {@code ^0.2.3} no minor change), comparisons ({@code >=, >, <=, <, =, !=}),
 * AND by space or comma, OR by {@code ||}, and hyphen ranges {@code 1.2 - 1.4.5}. Pre-releases
 * match only constraints that mention a pre-release.
 */
public final class ChartVersions {
  private static final Pattern SEMVER = Pattern.compile(
      "v?(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?(?:-([0-9A-Za-z.-]+))?(?:\\+([0-9A-Za-z.-]+))?");
  private static final Pattern PART = Pattern.compile("(>=|<=|!=|=>|=<|>|<|=|~>|~|\\^)?\\s*(\\S+)");

  private ChartVersions() {}

  /** A parsed version; {@code null} when the text is not a version. */
  public record Version(BigInteger major, BigInteger minor, BigInteger patch, String pre, String text)
      implements Comparable<Version> {
    @Override
    public int compareTo(Version o) {
      int c = major.compareTo(o.major);
      if (c == 0) c = minor.compareTo(o.minor);
      if (c == 0) c = patch.compareTo(o.patch);
      if (c != 0) return c;
      if (pre.isEmpty() || o.pre.isEmpty()) return pre.isEmpty() == o.pre.isEmpty() ? 0 : pre.isEmpty() ? 1 : -1;
      String[] a = pre.split("\\."), b = o.pre.split("\\.");
      for (int i = 0; i < Math.min(a.length, b.length); i++) {
        boolean an = a[i].matches("\\d+"), bn = b[i].matches("\\d+");
        int d = an && bn ? new BigInteger(a[i]).compareTo(new BigInteger(b[i]))
            : an ? -1 : bn ? 1 : a[i].compareTo(b[i]);
        if (d != 0) return d;
      }
      return Integer.compare(a.length, b.length);
    }
  }

  public static Optional<Version> parse(String text) {
    Matcher m = SEMVER.matcher(text == null ? "" : text.trim());
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(new Version(
        new BigInteger(m.group(1)),
        m.group(2) == null ? BigInteger.ZERO : new BigInteger(m.group(2)),
        m.group(3) == null ? BigInteger.ZERO : new BigInteger(m.group(3)),
        m.group(4) == null ? "" : m.group(4),
        text.trim()));
  }

  /** Versions newest first; texts that are not versions go last, in their order. */
  public static List<String> newestFirst(List<String> versions) {
    List<String> out = new ArrayList<>(versions);
    out.sort(Comparator.comparing((String v) -> parse(v).orElse(null),
        Comparator.nullsLast(Comparator.<Version>reverseOrder())));
    return out;
  }

  /** The newest of {@code versions} that satisfies {@code constraint}, if any. */
  public static Optional<String> newestMatching(List<String> versions, String constraint) {
    if (versions.contains(constraint.trim())) {
      return Optional.of(constraint.trim()); // an exact version, SemVer or not
    }
    for (String v : newestFirst(versions)) {
      if (matches(v, constraint)) {
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }

  /** Whether {@code version} satisfies {@code constraint}. */
  public static boolean matches(String version, String constraint) {
    Version v = parse(version).orElse(null);
    if (v == null) {
      return version.equals(constraint == null ? null : constraint.trim());
    }
    for (String alternative : constraint.split("\\|\\|")) {
      if (matchesAll(v, alternative.trim(), constraint)) {
        return true;
      }
    }
    return false;
  }

  private static boolean matchesAll(Version v, String conjunction, String whole) {
    String c = conjunction.replaceAll("\\s+-\\s+", " - ");
    List<String> parts = new ArrayList<>();
    String[] tokens = c.split("[\\s,]+");
    for (int i = 0; i < tokens.length; i++) {
      if (tokens[i].isEmpty()) continue;
      if (i + 2 < tokens.length && tokens[i + 1].equals("-")) {
        parts.add(">=" + tokens[i]);
        parts.add("<=" + tokens[i + 2]);
        i += 2;
      } else if (tokens[i].matches(">=|<=|!=|>|<|=|~|\\^|~>") && i + 1 < tokens.length) {
        parts.add(tokens[i] + tokens[++i]);
      } else {
        parts.add(tokens[i]);
      }
    }
    boolean mentionsPre = false;
    for (String p : parts) {
      mentionsPre |= p.contains("-") && !p.startsWith("-");
    }
    if (!v.pre().isEmpty() && !mentionsPre) {
      return false;
    }
    for (String p : parts) {
      if (!matchesOne(v, p, whole)) {
        return false;
      }
    }
    return true;
  }

  private static boolean matchesOne(Version v, String part, String whole) {
    Matcher m = PART.matcher(part);
    if (!m.matches()) {
      throw invalid(whole);
    }
    String op = m.group(1) == null ? "" : m.group(1);
    String target = m.group(2);
    if (target.equals("*") || target.equalsIgnoreCase("x")) {
      return true;
    }
    String[] fields = target.replaceFirst("^v", "").split("[-+]", 2)[0].split("\\.");
    int wildcardAt = fields.length;
    for (int i = 0; i < fields.length; i++) {
      if (fields[i].equals("*") || fields[i].equalsIgnoreCase("x")) {
        wildcardAt = i;
        break;
      }
    }
    String concrete = String.join(".", java.util.Arrays.copyOf(fields, wildcardAt));
    String pre = target.contains("-") && wildcardAt == fields.length ? target.substring(target.indexOf('-')) : "";
    Version t = parse(concrete.isEmpty() ? "0" : concrete + pre).orElseThrow(() -> invalid(whole));
    int given = wildcardAt == fields.length ? Math.min(fields.length, 3) : wildcardAt;
    switch (op) {
      case "", "=":
        return given >= 3 ? v.compareTo(t) == 0 : prefixEquals(v, t, given);
      case "!=":
        return given >= 3 ? v.compareTo(t) != 0 : !prefixEquals(v, t, given);
      case ">":
        return given >= 3 ? v.compareTo(t) > 0 : v.compareTo(bump(t, given)) >= 0;
      case ">=", "=>":
        return v.compareTo(t) >= 0;
      case "<":
        return v.compareTo(t) < 0;
      case "<=", "=<":
        return given >= 3 ? v.compareTo(t) <= 0 : v.compareTo(bump(t, given)) < 0;
      case "~", "~>":
        return v.compareTo(t) >= 0 && v.compareTo(bump(t, given <= 1 ? 1 : 2)) < 0;
      case "^":
        int level = t.major().signum() != 0 || given <= 1 ? 1 : t.minor().signum() != 0 || given == 2 ? 2 : 3;
        return v.compareTo(t) >= 0 && v.compareTo(bump(t, level)) < 0;
      default:
        throw invalid(whole);
    }
  }

  private static boolean prefixEquals(Version v, Version t, int given) {
    return v.major().equals(t.major())
        && (given < 2 || v.minor().equals(t.minor()))
        && (given < 3 || v.patch().equals(t.patch()));
  }

  /** The smallest version above every version that shares the first {@code level} fields with t. */
  private static Version bump(Version t, int level) {
    return switch (level) {
      case 0, 1 -> new Version(t.major().add(BigInteger.ONE), BigInteger.ZERO, BigInteger.ZERO, "", "");
      case 2 -> new Version(t.major(), t.minor().add(BigInteger.ONE), BigInteger.ZERO, "", "");
      default -> new Version(t.major(), t.minor(), t.patch().add(BigInteger.ONE), "", "");
    };
  }

  private static CnaiException invalid(String constraint) {
    return CnaiException.badInput(
        "'" + constraint + "' is not a version constraint",
        "write e.g. 1.2.3, ~1.2.0, ^2.0.0, 1.x or \">=1.0.0 <2.0.0\"");
  }
}
