package io.cnai.revision;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.cnai.core.CnaiException;

/** JSON form of a {@link StackRevision}, as stored in the revision Secret. */
public final class RevisionCodec {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private RevisionCodec() {}

  public static String toJson(StackRevision r) {
    try {
      return MAPPER.writeValueAsString(r);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static StackRevision fromJson(String json, String where) {
    try {
      return MAPPER.readValue(json, StackRevision.class);
    } catch (JsonProcessingException e) {
      throw CnaiException.failure(
          "stack revision " + where + " cannot be read: " + e.getOriginalMessage(),
          "it was written by another cnai version or edited by hand; 'cnai history' shows the others");
    }
  }
}
