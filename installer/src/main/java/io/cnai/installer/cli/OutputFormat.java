package io.cnai.installer.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.PrintWriter;

/** '--output table|yaml|json': human tables by default, data for scripts on request. */
public enum OutputFormat {
  TABLE,
  YAML,
  JSON;

  private static final com.fasterxml.jackson.databind.ObjectWriter JSON_MAPPER = io.cnai.installer.json.Mappers.PRETTY_JSON;
  private static final ObjectMapper YAML_MAPPER = io.cnai.installer.json.Mappers.PEOPLE_YAML;

  /** Writes plain data (maps, lists, scalars) as JSON or YAML. */
  public static void writeData(PrintWriter out, Object data, OutputFormat format) {
    try {
      if (format == JSON) {
        out.println(JSON_MAPPER.writeValueAsString(data));
      } else {
        out.print(YAML_MAPPER.writeValueAsString(data));
      }
      out.flush();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String toYaml(Object data) {
    try {
      return YAML_MAPPER.writeValueAsString(data);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
