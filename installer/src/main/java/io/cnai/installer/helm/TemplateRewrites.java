package io.cnai.installer.helm;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The three textual rewrites that make helm-java's in-process {@code template} behave like {@code
 * helm template --api-versions …} with hooks (see docs/adr/0101-rendering-with-helm-java.md):
 *
 * <ol>
 *   <li>{@code lookup} inside template actions becomes {@code omit (dict)}, which takes the same
 *       string arguments and returns an empty map: what {@code lookup} returns client-side. helm-java
 *       would otherwise call whatever cluster the default kubeconfig names.
 *   <li>{@code <ctx>.Capabilities.APIVersions.Has ARG} (ARG a string literal, a variable, a field such
 *       as {@code .} or {@code .Values.api}, or a parenthesised expression such as {@code (printf "%s/v1"
 *       $group)}, evaluated twice, which is harmless: template functions have no side effects) becomes
 *       {@code (or (<ctx>.Capabilities.APIVersions.Has ARG) (has ARG (list "<target api>" …)))}, so the
 *       built-in versions still answer and the target's extra API versions are added.
 *   <li>the {@code helm.sh/hook} annotation is renamed to {@link #HOOK_MARKER} in templates and values
 *       (and back in the output), because helm-java's template drops hooks from its output.
 * </ol>
 */
final class TemplateRewrites {
  static final String HOOK = "helm.sh/hook";
  /** Unique, never a real annotation ({@code .invalid} is a reserved domain). */
  static final String HOOK_MARKER = "cnai-render.invalid/hook";

  private static final Pattern ACTION = Pattern.compile("\\{\\{.*?\\}\\}", Pattern.DOTALL);
  private static final Pattern LOOKUP = Pattern.compile("(?<![\\w.$])lookup(?=\\s)");
  /** A masked string literal (see {@link #mask}), a variable, a field, or the "(" of an expression. */
  private static final Pattern HAS = Pattern.compile(
      "((?:\\$\\w*)?(?:\\.\\w+)*\\.Capabilities\\.APIVersions\\.Has)\\s+(\u0001\\d+\u0002|\\$[\\w.]*|\\.[\\w.]*|\\()");
  private static final Pattern MASKED = Pattern.compile("\u0001(\\d+)\u0002");
  private static final Pattern ANY_HAS = Pattern.compile("\\.Capabilities\\.APIVersions\\.Has\\b");

  private TemplateRewrites() {}

  /**
   * What one template file became, and how many API-version checks could not be rewritten, with
   * the line of each.
   */
  record Result(String text, int unrewrittenHas, List<Integer> unrewrittenLines) {
    Result(String text, int unrewrittenHas) {
      this(text, unrewrittenHas, List.of());
    }
  }

  static Result template(String text, List<String> apiVersions) {
    StringBuilder out = new StringBuilder(text.length() + 64);
    Matcher action = ACTION.matcher(text);
    int last = 0;
    int missed = 0;
    List<Integer> lines = new java.util.ArrayList<>();
    while (action.find()) {
      out.append(text, last, action.start());
      List<String> literals = new java.util.ArrayList<>();
      String a = mask(action.group(), literals);
      a = LOOKUP.matcher(a).replaceAll("omit (dict)");
      if (!apiVersions.isEmpty()) {
        int before = count(ANY_HAS, a);
        Matcher m = HAS.matcher(a);
        StringBuilder sb = new StringBuilder();
        int done = 0;
        int from = 0;
        while (m.find(from)) {
          String arg = m.group(2);
          int end = m.end();
          if (arg.equals("(")) {
            int close = closing(a, m.start(2));
            if (close < 0) {
              break; // unbalanced: leave the rest as it is (counted as not rewritten)
            }
            arg = a.substring(m.start(2), close + 1);
            end = close + 1;
          }
          done++;
          sb.append(a, from, m.start());
          String call = m.group(1) + " " + arg;
          sb.append("(or (").append(call).append(") (has ").append(arg).append(' ').append(list(apiVersions)).append("))");
          from = end;
        }
        sb.append(a, from, a.length());
        a = sb.toString();
        int notDone = before - done;
        if (notDone > 0) {
          missed += notDone;
          int line = 1 + (int) text.substring(0, action.start()).chars().filter(ch -> ch == '\n').count();
          for (int k = 0; k < notDone; k++) {
            lines.add(line);
          }
        }
      }
      out.append(unmask(a, literals));
      last = action.end();
    }
    out.append(text, last, text.length());
    return new Result(out.toString().replace(HOOK, HOOK_MARKER), missed, List.copyOf(lines));
  }

  /**
   * The action with its string literals ("…", `…`) and comments replaced by numbered placeholders,
   * so that the rewrites never touch text inside them.
   */
  static String mask(String action, List<String> literals) {
    StringBuilder out = new StringBuilder(action.length());
    int i = 0;
    while (i < action.length()) {
      char c = action.charAt(i);
      int end = -1;
      if (c == '"') {
        int j = i + 1;
        while (j < action.length() && action.charAt(j) != '"') {
          j += action.charAt(j) == '\\' ? 2 : 1;
        }
        end = Math.min(j + 1, action.length());
      } else if (c == '`') {
        int j = action.indexOf('`', i + 1);
        end = j < 0 ? action.length() : j + 1;
      } else if (c == '/' && action.startsWith("/*", i)) {
        int j = action.indexOf("*/", i + 2);
        end = j < 0 ? action.length() : j + 2;
      }
      if (end < 0) {
        out.append(c);
        i++;
      } else {
        out.append('\u0001').append(literals.size()).append('\u0002');
        literals.add(action.substring(i, end));
        i = end;
      }
    }
    return out.toString();
  }

  static String unmask(String masked, List<String> literals) {
    Matcher m = MASKED.matcher(masked);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(sb, Matcher.quoteReplacement(literals.get(Integer.parseInt(m.group(1)))));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  /** values.yaml text: only the hook annotation is renamed. */
  static String values(String text) {
    return text.replace(HOOK, HOOK_MARKER);
  }

  /** Output text: the hook annotation gets its real name back. */
  static String restore(String text) {
    return text.replace(HOOK_MARKER, HOOK);
  }

  /** User values with the hook annotation renamed in keys and strings. */
  @SuppressWarnings("unchecked")
  static Object values(Object v) {
    if (v instanceof String s) {
      return s.replace(HOOK, HOOK_MARKER);
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new java.util.LinkedHashMap<>();
      m.forEach((k, x) -> out.put(String.valueOf(values(String.valueOf(k))), values(x)));
      return out;
    }
    if (v instanceof List<?> l) {
      return l.stream().map(TemplateRewrites::values).toList();
    }
    return v;
  }

  private static String list(List<String> apiVersions) {
    StringBuilder sb = new StringBuilder("(list");
    for (String v : apiVersions) {
      sb.append(" \"").append(v.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
    }
    return sb.append(')').toString();
  }

  /** The index of the ")" that closes the "(" at {@code open} (literals are masked), or -1. */
  private static int closing(String s, int open) {
    int depth = 0;
    for (int i = open; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
        if (depth == 0) {
          return i;
        }
      }
    }
    return -1;
  }

  private static int count(Pattern p, String s) {
    Matcher m = p.matcher(s);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }
}
