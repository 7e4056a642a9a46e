package io.cnai.installer.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateRewritesTest {
  static String rewrite(String template, String... apis) {
    return TemplateRewrites.template(template, List.of(apis)).text();
  }

  @Test
  void lookupBecomesAnEmptyMapOnlyInsideActions() {
    assertThat(rewrite("{{ $s := lookup \"v1\" \"Secret\" .Release.Namespace \"x\" }}"))
        .isEqualTo("{{ $s := omit (dict) \"v1\" \"Secret\" .Release.Namespace \"x\" }}");
    assertThat(rewrite("{{- if (lookup\n  \"v1\" \"Node\" \"\" \"\") }}"))
        .isEqualTo("{{- if (omit (dict)\n  \"v1\" \"Node\" \"\" \"\") }}");
    assertThat(rewrite("lookup: text {{ $lookup := 1 }} {{ .Values.lookup }} {{ $x.lookup }} {{ lookupTable }}"))
        .isEqualTo("lookup: text {{ $lookup := 1 }} {{ .Values.lookup }} {{ $x.lookup }} {{ lookupTable }}");
  }

  @Test
  void stringLiteralsAndCommentsInsideActionsAreLeftAlone() {
    String t = "{{/* lookup \"v1\" here */}}{{ printf \"lookup %s\" `lookup raw` }}{{ lookup \"v1\" \"Secret\" \"a\" \"b\" }}";
    assertThat(rewrite(t))
        .isEqualTo("{{/* lookup \"v1\" here */}}{{ printf \"lookup %s\" `lookup raw` }}{{ omit (dict) \"v1\" \"Secret\" \"a\" \"b\" }}");
    assertThat(rewrite("{{ .Capabilities.APIVersions.Has \"a\\\"b/v1\" }}", "x/v1"))
        .isEqualTo("{{ (or (.Capabilities.APIVersions.Has \"a\\\"b/v1\") (has \"a\\\"b/v1\" (list \"x/v1\"))) }}");
  }

  @Test
  void apiVersionChecksAlsoConsultTheTargetsApiVersions() {
    assertThat(rewrite("{{ if .Capabilities.APIVersions.Has \"cert-manager.io/v1\" }}", "cert-manager.io/v1"))
        .isEqualTo("{{ if (or (.Capabilities.APIVersions.Has \"cert-manager.io/v1\") "
            + "(has \"cert-manager.io/v1\" (list \"cert-manager.io/v1\"))) }}");
    assertThat(rewrite("{{ $root.Capabilities.APIVersions.Has $api }}", "a/v1", "b/v2/K"))
        .isEqualTo("{{ (or ($root.Capabilities.APIVersions.Has $api) (has $api (list \"a/v1\" \"b/v2/K\"))) }}");
    assertThat(rewrite("{{ $.Capabilities.APIVersions.Has \"x/v1\" }}", "y/v1"))
        .startsWith("{{ (or ($.Capabilities.APIVersions.Has \"x/v1\")");
  }

  @Test
  void withoutTargetApiVersionsChecksAreLeftAlone() {
    String t = "{{ if .Capabilities.APIVersions.Has \"x/v1\" }}";
    assertThat(rewrite(t)).isEqualTo(t);
  }

  @Test
  void fieldAndParenthesisedArgumentsAreRewritten() {
    // Bitnami's common library: .context.Capabilities.APIVersions.Has .version
    assertThat(rewrite("{{ if (.context.Capabilities.APIVersions.Has .version) }}", "x/v1"))
        .isEqualTo("{{ if ((or (.context.Capabilities.APIVersions.Has .version) (has .version (list \"x/v1\")))) }}");
    assertThat(rewrite("{{ range .versions }}{{ if $.Capabilities.APIVersions.Has . }}", "x/v1"))
        .endsWith("{{ if (or ($.Capabilities.APIVersions.Has .) (has . (list \"x/v1\"))) }}");
    assertThat(rewrite("{{ if .Capabilities.APIVersions.Has (printf \"%s/%s\" (lower .Values.g) \")\") | not }}", "x/v1"))
        .isEqualTo("{{ if (or (.Capabilities.APIVersions.Has (printf \"%s/%s\" (lower .Values.g) \")\")) "
            + "(has (printf \"%s/%s\" (lower .Values.g) \")\") (list \"x/v1\"))) | not }}");
    TemplateRewrites.Result r = TemplateRewrites.template(
        "{{ if .Capabilities.APIVersions.Has (printf \"%s/v1\" .Values.group) }}", List.of("x/v1"));
    assertThat(r.unrewrittenHas()).isZero();
  }

  @Test
  void formsThatCannotBeRewrittenAreCountedWithTheirLine() {
    TemplateRewrites.Result r = TemplateRewrites.template(
        "a: 1\n{{ .Capabilities.APIVersions.Has \"a/v1\" }}\n{{ if \"x/v1\" | .Capabilities.APIVersions.Has }}\n", List.of("x/v1"));
    assertThat(r.unrewrittenHas()).isEqualTo(1);
    assertThat(r.unrewrittenLines()).containsExactly(3);
  }

  @Test
  void hookAnnotationRoundTrips() {
    String t = "annotations:\n  \"helm.sh/hook\": pre-install\n  helm.sh/hook-weight: \"1\"\n";
    String rewritten = rewrite(t);
    assertThat(rewritten).doesNotContain("helm.sh/hook").contains(TemplateRewrites.HOOK_MARKER + "-weight");
    assertThat(TemplateRewrites.restore(rewritten)).isEqualTo(t);
    assertThat(TemplateRewrites.values(Map.of("a", Map.of("helm.sh/hook", "test"), "l", List.of("helm.sh/hook"))))
        .isEqualTo(Map.of("a", Map.of(TemplateRewrites.HOOK_MARKER, "test"), "l", List.of(TemplateRewrites.HOOK_MARKER)));
  }
}
