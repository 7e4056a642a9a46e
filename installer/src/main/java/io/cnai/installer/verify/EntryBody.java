package io.cnai.installer.verify;

import com.fasterxml.jackson.databind.JsonNode;
import io.cnai.core.CnaiException;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/** What a Rekor entry body records, per kind and version, so that it can be compared with a bundle. */
final class EntryBody {
  private EntryBody() {}

  /**
   * @param digestAlgorithm algorithm of digest, or null
   * @param digest what was signed: the artifact digest (hashedrekord) or the DSSE PAE digest
   *     (hashedrekord 0.0.2 over DSSE); null when the kind records the payload instead
   * @param payloadSha256 SHA-256 of the DSSE payload (dsse, intoto), or null
   * @param signers the (signature, verifier) pairs the entry records
   */
  record Facts(String digestAlgorithm, byte[] digest, byte[] payloadSha256, List<SignerRecord> signers) {}

  /** A logged signature and its verifier: a certificate (DER) or a public key (SPKI DER). */
  record SignerRecord(byte[] signature, byte[] certificateDer, byte[] publicKeyDer) {
    boolean matches(X509Certificate leaf, PublicKey key) {
      try {
        if (leaf != null) {
          return certificateDer != null && Arrays.equals(certificateDer, leaf.getEncoded());
        }
        return publicKeyDer != null && Arrays.equals(publicKeyDer, key.getEncoded());
      } catch (CertificateEncodingException e) {
        return false;
      }
    }
  }

  static Facts hashedRekordV1(JsonNode body) {
    JsonNode spec = body.path("spec");
    JsonNode hash = spec.path("data").path("hash");
    String alg = text(hash, "algorithm");
    byte[] digest = hexBytes(text(hash, "value"));
    JsonNode sig = spec.path("signature");
    return new Facts(
        alg, digest, null, List.of(pemRecord(b64(text(sig, "content")), text(sig.path("publicKey"), "content"))));
  }

  static Facts hashedRekordV2(JsonNode body) {
    JsonNode spec = body.path("spec").path("hashedRekordV002");
    JsonNode data = spec.path("data");
    String alg = text(data, "algorithm");
    byte[] digest = b64(text(data, "digest"));
    JsonNode sig = spec.path("signature");
    JsonNode verifier = sig.path("verifier");
    byte[] cert = null;
    byte[] key = null;
    if (verifier.has("x509Certificate")) {
      cert = b64(text(verifier.get("x509Certificate"), "rawBytes"));
    } else if (verifier.has("publicKey")) {
      key = b64(text(verifier.get("publicKey"), "rawBytes"));
    } else {
      throw malformed("the hashedrekord 0.0.2 verifier has neither certificate nor public key");
    }
    return new Facts(alg, digest, null, List.of(new SignerRecord(b64(text(sig, "content")), cert, key)));
  }

  static Facts dsseV1(JsonNode body) {
    JsonNode spec = body.path("spec");
    byte[] payloadHash = sha256Hex(spec.path("payloadHash"));
    List<SignerRecord> signers = new ArrayList<>();
    for (JsonNode s : spec.path("signatures")) {
      signers.add(pemRecord(b64(text(s, "signature")), text(s, "verifier")));
    }
    return new Facts(null, null, payloadHash, signers);
  }

  static Facts intotoV2(JsonNode body) {
    JsonNode content = body.path("spec").path("content");
    byte[] payloadHash = sha256Hex(content.path("payloadHash"));
    List<SignerRecord> signers = new ArrayList<>();
    for (JsonNode s : content.path("envelope").path("signatures")) {
      // Rekor's intoto 0.0.2 stores the envelope signature base64-encoded twice; some entries
      // carry it encoded once. Either way it is compared with the bundle's signature bytes.
      byte[] once = b64(text(s, "sig"));
      byte[] sig = once;
      String asText = new String(once, StandardCharsets.US_ASCII);
      if (asText.matches("[A-Za-z0-9+/]+={0,2}")) {
        try {
          sig = Base64.getDecoder().decode(asText);
        } catch (IllegalArgumentException e) {
          sig = once;
        }
      }
      signers.add(pemRecord(sig, text(s, "publicKey")));
    }
    return new Facts(null, null, payloadHash, signers);
  }

  private static SignerRecord pemRecord(byte[] signature, String base64Pem) {
    Pem pem;
    try {
      pem = Pem.parse(new String(b64(base64Pem), StandardCharsets.US_ASCII));
    } catch (IllegalArgumentException e) {
      throw malformed("the logged verifier is not PEM: " + e.getMessage());
    }
    return switch (pem.label()) {
      case "CERTIFICATE" -> new SignerRecord(signature, pem.der(), null);
      case "PUBLIC KEY" -> new SignerRecord(signature, null, pem.der());
      default -> throw malformed("the logged verifier is a PEM " + pem.label());
    };
  }

  private static byte[] sha256Hex(JsonNode hash) {
    String alg = text(hash, "algorithm");
    if (!alg.equalsIgnoreCase("sha256")) {
      throw malformed("unsupported payload hash algorithm " + alg);
    }
    return hexBytes(text(hash, "value"));
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual()) {
      throw malformed("missing '" + field + "'");
    }
    return v.asText();
  }

  private static byte[] b64(String s) {
    try {
      return Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      throw malformed("invalid base64");
    }
  }

  private static byte[] hexBytes(String s) {
    try {
      return HexFormat.of().parseHex(s);
    } catch (IllegalArgumentException e) {
      throw malformed("invalid hex digest");
    }
  }

  private static CnaiException malformed(String problem) {
    return CnaiException.refused(
        "malformed transparency log entry body: " + problem, "the log entry was altered");
  }
}
