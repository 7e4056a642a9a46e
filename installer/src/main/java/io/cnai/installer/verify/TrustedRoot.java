package io.cnai.installer.verify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigstore.trustroot.SigstoreConfigurationException;
import dev.sigstore.trustroot.SigstoreTrustedRoot;
import dev.sigstore.trustroot.TransparencyLog;
import dev.sigstore.trustroot.ValidFor;
import io.cnai.core.CnaiException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A Sigstore trusted root (trusted_root.json), read by sigstore-java and checked by cnai for what
 * sigstore-java lets through: every key and authority must have a validity start, since a missing
 * bound must not be read as "valid forever".
 */
final class TrustedRoot {
  private final Path file;
  private final SigstoreTrustedRoot root;

  private TrustedRoot(Path file, SigstoreTrustedRoot root) {
    this.file = file;
    this.root = root;
  }

  SigstoreTrustedRoot sigstore() {
    return root;
  }

  Path file() {
    return file;
  }

  static TrustedRoot read(Path file) {
    byte[] raw;
    try {
      raw = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw CnaiException.badInput(
          "trusted root " + file + " does not exist",
          "pass --trusted-root with the trusted_root.json of the Sigstore instance that signed");
    } catch (IOException e) {
      throw CnaiException.badInput("cannot read trusted root " + file + ": " + e.getMessage(), null);
    }
    JsonNode json;
    try {
      json = io.cnai.installer.json.Mappers.JSON.readTree(raw);
    } catch (JsonProcessingException e) {
      throw CnaiException.badInput(
          "trusted root " + file + " is not valid JSON: " + e.getOriginalMessage(),
          "pass a Sigstore trusted_root.json");
    } catch (IOException e) {
      throw CnaiException.badInput("cannot read trusted root " + file + ": " + e.getMessage(), null);
    }
    if (json == null || !json.isObject()) {
      throw CnaiException.badInput(
          "trusted root " + file + " is not a JSON object", "pass a Sigstore trusted_root.json");
    }
    requireStarts(file, json, "tlogs", true);
    requireStarts(file, json, "ctlogs", true);
    requireStarts(file, json, "certificateAuthorities", false);
    requireStarts(file, json, "timestampAuthorities", false);
    try {
      return new TrustedRoot(file, SigstoreTrustedRoot.from(new ByteArrayInputStream(raw)));
    } catch (SigstoreConfigurationException | RuntimeException e) {
      throw CnaiException.refused(
          "trusted root " + file + " cannot be used: " + e.getMessage(),
          "pass an unmodified trusted_root.json of the Sigstore instance that signed");
    }
  }

  private static void requireStarts(Path file, JsonNode json, String list, boolean key) {
    int i = 0;
    for (JsonNode item : json.path(list)) {
      JsonNode validFor = key ? item.path("publicKey").path("validFor") : item.path("validFor");
      String start = validFor.path("start").asText("");
      if (start.isEmpty()) {
        throw CnaiException.refused(
            "trusted root "
                + file
                + ": "
                + list
                + "["
                + i
                + "] has no validity start (validFor.start); a missing bound is not 'valid forever'",
            "use an unmodified trusted_root.json; every key and authority must say since when it is"
                + " trusted");
      }
      i++;
    }
  }

  /** The transparency log with this key id, or a refusal. */
  TransparencyLog tlog(byte[] keyId) {
    return find(root.getTLogs(), keyId)
        .orElseThrow(
            () ->
                CnaiException.refused(
                    "the transparency log entry comes from a log that the trusted root does not"
                        + " list (log id "
                        + java.util.Base64.getEncoder().encodeToString(keyId)
                        + ")",
                    "verify against the trusted root of the Sigstore instance that signed"));
  }

  private static Optional<TransparencyLog> find(List<TransparencyLog> logs, byte[] keyId) {
    return logs.stream().filter(l -> Arrays.equals(l.getLogId().getKeyId(), keyId)).findFirst();
  }

  /** Closed interval: start &lt;= t &lt;= end (end absent: open). */
  static boolean contains(ValidFor v, Instant t) {
    if (t.isBefore(v.getStart())) {
      return false;
    }
    return v.getEnd().map(end -> !t.isAfter(end)).orElse(true);
  }
}
