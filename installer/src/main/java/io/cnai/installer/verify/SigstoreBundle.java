package io.cnai.installer.verify;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cnai.core.CnaiException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A Sigstore bundle as cnai reads it, independent of sigstore-java's parser (which refuses public
 * key bundles and hides fields the specification asks a verifier to check, such as a negative log
 * index). A file that is not JSON is bad input; a JSON bundle whose content is malformed is refused.
 */
record SigstoreBundle(
    String mediaType,
    int minorVersion,
    List<X509Certificate> certificates,
    boolean publicKeyMaterial,
    List<LogEntry> entries,
    List<byte[]> rfc3161Timestamps,
    MessageSignature messageSignature,
    Dsse dsse) {

  static final Map<String, Integer> MEDIA_TYPES =
      Map.of(
          "application/vnd.dev.sigstore.bundle+json;version=0.1", 1,
          "application/vnd.dev.sigstore.bundle+json;version=0.2", 2,
          "application/vnd.dev.sigstore.bundle+json;version=0.3", 3,
          "application/vnd.dev.sigstore.bundle.v0.3+json", 3);

  /** A transparency log entry; integratedTime is 0 when the entry has none (Rekor v2). */
  record LogEntry(
      long logIndex,
      byte[] logId,
      String kind,
      String version,
      long integratedTime,
      byte[] signedEntryTimestamp,
      InclusionProof inclusionProof,
      byte[] canonicalizedBody) {}

  record InclusionProof(
      long logIndex, byte[] rootHash, long treeSize, List<byte[]> hashes, String checkpoint) {}

  /** digestAlgorithm and digest are null when the bundle carries no message digest. */
  record MessageSignature(String digestAlgorithm, byte[] digest, byte[] signature) {}

  record Dsse(byte[] payload, String payloadType, List<byte[]> signatures) {
    /** The DSSE pre-authentication encoding that the signature covers. */
    byte[] pae() {
      byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
      byte[] head =
          ("DSSEv1 " + type.length + " " + payloadType + " " + payload.length + " ")
              .getBytes(StandardCharsets.UTF_8);
      byte[] out = new byte[head.length + payload.length];
      System.arraycopy(head, 0, out, 0, head.length);
      System.arraycopy(payload, 0, out, head.length, payload.length);
      return out;
    }
  }

  X509Certificate leaf() {
    return certificates.isEmpty() ? null : certificates.get(0);
  }

  /** The signature bytes: the message signature or the one DSSE signature. */
  byte[] signature() {
    return messageSignature != null ? messageSignature.signature() : dsse.signatures().get(0);
  }

  static SigstoreBundle read(Path file) {
    byte[] raw;
    try {
      raw = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw CnaiException.badInput(
          "bundle file " + file + " does not exist", "pass the path of a .sigstore.json bundle");
    } catch (IOException e) {
      throw CnaiException.badInput(
          "cannot read bundle file " + file + ": " + e.getMessage(), "check the path and permissions");
    }
    JsonNode root;
    try {
      root =
          io.cnai.installer.json.Mappers.STRICT_JSON.readTree(raw);
    } catch (JsonParseException e) {
      if (e.getOriginalMessage().startsWith("Duplicate field")) {
        // Valid JSON syntax, but parsers disagree on which value counts: refuse, do not guess.
        throw refused(e.getOriginalMessage(), null);
      }
      throw CnaiException.badInput(
          "bundle " + file + " is not valid JSON: " + e.getOriginalMessage(),
          "pass a Sigstore bundle (.sigstore.json) as written by cosign, sigstore-java or cnai");
    } catch (JsonProcessingException e) {
      throw CnaiException.badInput(
          "bundle " + file + " is not valid JSON: " + e.getOriginalMessage(),
          "pass a Sigstore bundle (.sigstore.json) as written by cosign, sigstore-java or cnai");
    } catch (IOException e) {
      throw CnaiException.badInput("cannot read bundle " + file + ": " + e.getMessage(), null);
    }
    if (root == null || !root.isObject()) {
      throw CnaiException.badInput(
          "bundle " + file + " is not a JSON object", "pass a Sigstore bundle (.sigstore.json)");
    }
    return parse(root);
  }

  static SigstoreBundle parse(JsonNode root) {
    String mediaType = text(root, "mediaType");
    Integer minor = MEDIA_TYPES.get(mediaType);
    if (minor == null) {
      throw refused(
          "unknown bundle media type '" + mediaType + "'",
          "cnai reads Sigstore bundles v0.1 to v0.3");
    }
    JsonNode vm = required(root, "verificationMaterial");
    List<X509Certificate> certs = new ArrayList<>();
    boolean publicKey = false;
    if (vm.has("x509CertificateChain")) {
      for (JsonNode c : required(vm.get("x509CertificateChain"), "certificates")) {
        certs.add(certificate(b64(c, "rawBytes")));
      }
      if (certs.isEmpty()) {
        throw refused("the bundle's certificate chain is empty", null);
      }
    } else if (vm.has("certificate")) {
      certs.add(certificate(b64(vm.get("certificate"), "rawBytes")));
    } else if (vm.has("publicKey")) {
      publicKey = true;
    } else {
      throw refused("the bundle has no certificate and no public key hint", null);
    }
    List<LogEntry> entries = new ArrayList<>();
    for (JsonNode e : vm.path("tlogEntries")) {
      entries.add(entry(e));
    }
    List<byte[]> timestamps = new ArrayList<>();
    for (JsonNode t : vm.path("timestampVerificationData").path("rfc3161Timestamps")) {
      timestamps.add(b64(t, "signedTimestamp"));
    }
    boolean hasMessage = root.has("messageSignature");
    boolean hasDsse = root.has("dsseEnvelope");
    if (hasMessage == hasDsse) {
      throw refused("the bundle must hold exactly one of messageSignature and dsseEnvelope", null);
    }
    MessageSignature message = null;
    Dsse dsse = null;
    if (hasMessage) {
      JsonNode ms = root.get("messageSignature");
      String alg = null;
      byte[] digest = null;
      if (ms.has("messageDigest")) {
        alg = text(ms.get("messageDigest"), "algorithm");
        digest = b64(ms.get("messageDigest"), "digest");
      }
      message = new MessageSignature(alg, digest, b64(ms, "signature"));
    } else {
      JsonNode env = root.get("dsseEnvelope");
      List<byte[]> sigs = new ArrayList<>();
      for (JsonNode s : required(env, "signatures")) {
        sigs.add(b64(s, "sig"));
      }
      if (sigs.size() != 1) {
        throw refused(
            "the DSSE envelope has " + sigs.size() + " signatures; a Sigstore bundle has exactly one",
            null);
      }
      dsse = new Dsse(b64(env, "payload"), text(env, "payloadType"), sigs);
    }
    return new SigstoreBundle(
        mediaType, minor, List.copyOf(certs), publicKey, List.copyOf(entries),
        List.copyOf(timestamps), message, dsse);
  }

  private static LogEntry entry(JsonNode e) {
    JsonNode kv = required(e, "kindVersion");
    long integrated = e.has("integratedTime") ? int64(e, "integratedTime") : 0L;
    byte[] set = null;
    if (e.has("inclusionPromise")) {
      set = b64(e.get("inclusionPromise"), "signedEntryTimestamp");
    }
    InclusionProof proof = null;
    if (e.has("inclusionProof")) {
      JsonNode p = e.get("inclusionProof");
      List<byte[]> hashes = new ArrayList<>();
      for (JsonNode h : p.path("hashes")) {
        hashes.add(decode(h.asText(), "inclusionProof.hashes"));
      }
      String checkpoint = p.has("checkpoint") ? text(p.get("checkpoint"), "envelope") : null;
      proof =
          new InclusionProof(
              int64(p, "logIndex"), b64(p, "rootHash"), int64(p, "treeSize"), hashes, checkpoint);
    }
    return new LogEntry(
        int64(e, "logIndex"),
        b64(required(e, "logId"), "keyId"),
        text(kv, "kind"),
        text(kv, "version"),
        integrated,
        set,
        proof,
        b64(e, "canonicalizedBody"));
  }

  static X509Certificate certificate(byte[] der) {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException e) {
      throw refused("a certificate in the bundle cannot be parsed: " + e.getMessage(), null);
    }
  }

  private static JsonNode required(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      throw refused("the bundle has no '" + field + "'", null);
    }
    return v;
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = required(node, field);
    if (!v.isTextual()) {
      throw refused("the bundle's '" + field + "' is not a string", null);
    }
    return v.asText();
  }

  private static long int64(JsonNode node, String field) {
    JsonNode v = required(node, field);
    try {
      return v.isNumber() ? v.longValue() : Long.parseLong(v.asText());
    } catch (NumberFormatException e) {
      throw refused("the bundle's '" + field + "' is not an integer: " + v, null);
    }
  }

  private static byte[] b64(JsonNode node, String field) {
    return decode(text(node, field), field);
  }

  static byte[] decode(String value, String field) {
    try {
      return Base64.getDecoder().decode(value);
    } catch (IllegalArgumentException e) {
      throw refused("the bundle's '" + field + "' is not valid base64: " + e.getMessage(), null);
    }
  }

  private static CnaiException refused(String problem, String hint) {
    return CnaiException.refused(
        "malformed bundle: " + problem,
        hint == null ? "the bundle is damaged or was altered; get it again from its publisher" : hint);
  }
}
