package io.cnai.installer.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * The one Jackson setup of the installer: every JSON and YAML document that is not strict cnai
 * configuration (that goes through {@code io.cnai.core.Yaml}, with locations) is read and written
 * with these mappers. They are thread-safe once built and never reconfigured.
 */
public final class Mappers {
  private Mappers() {}

  /** JSON: API answers, revision records, reports. */
  public static final ObjectMapper JSON = new ObjectMapper();

  /** JSON that refuses duplicate keys: signed documents (Sigstore bundles, trusted roots). */
  public static final ObjectMapper STRICT_JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  /** Indented JSON for people and files. */
  public static final ObjectWriter PRETTY_JSON = JSON.writerWithDefaultPrettyPrinter();

  /** YAML for people: no document marker, minimal quotes, long lines kept, numbers in strings quoted. */
  public static final ObjectMapper PEOPLE_YAML = new ObjectMapper(YAMLFactory.builder()
      .disable(com.fasterxml.jackson.dataformat.yaml.YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(com.fasterxml.jackson.dataformat.yaml.YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .disable(com.fasterxml.jackson.dataformat.yaml.YAMLGenerator.Feature.SPLIT_LINES)
      .enable(com.fasterxml.jackson.dataformat.yaml.YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
      .build());

  /** YAML with every string quoted and no document marker: objects written back into Helm's stored manifests. */
  public static final ObjectMapper QUOTED_YAML = new ObjectMapper(YAMLFactory.builder()
      .disable(com.fasterxml.jackson.dataformat.yaml.YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .build());

  /**
   * YAML: charts' files, repository indexes, values, kubeconfigs, Helm's answers. Documents up to
   * 256 MiB (real repository indexes reach tens of MiB, CRD bundles several), at most 1000 aliases
   * per collection (enough for real charts, not for an alias bomb). An empty value ({@code key:} and
   * nothing) is null, as in YAML, Helm and kubectl: the factory builder, unlike {@code new YAMLFactory()},
   * left it an empty string, which the API server refuses where it wants a list (kube-prometheus-stack's
   * node exporter: {@code httpHeaders:}).
   */
  public static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder().loaderOptions(loaderOptions())
      .enable(com.fasterxml.jackson.dataformat.yaml.YAMLParser.Feature.EMPTY_STRING_AS_NULL).build());

  private static LoaderOptions loaderOptions() {
    LoaderOptions o = new LoaderOptions();
    o.setCodePointLimit(256 * 1024 * 1024);
    o.setMaxAliasesForCollections(1000);
    return o;
  }
}
