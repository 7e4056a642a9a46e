package io.cnai.installer.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigstore.VerificationOptions;
import dev.sigstore.encryption.signers.Verifiers;
import dev.sigstore.fulcio.client.FulcioVerificationException;
import dev.sigstore.fulcio.client.FulcioVerifier;
import dev.sigstore.merkle.InclusionProofVerificationException;
import dev.sigstore.merkle.InclusionProofVerifier;
import dev.sigstore.strings.StringMatcher;
import dev.sigstore.timestamp.client.ImmutableTimestampResponse;
import dev.sigstore.timestamp.client.TimestampException;
import dev.sigstore.timestamp.client.TimestampVerificationException;
import dev.sigstore.timestamp.client.TimestampVerifier;
import dev.sigstore.trustroot.TransparencyLog;
import io.cnai.core.CnaiException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.CertPath;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;

/**
 * Offline verification of a Sigstore bundle with the checks of the Sigstore client specification.
 * sigstore-java supplies the building blocks it gets right (trusted root model, certificate chain
 * and SCT validation, RFC 3161 timestamp validation, Merkle inclusion proofs, signature
 * primitives); cnai reads the bundle itself and adds the checks sigstore-java leaves out or cannot
 * do (public-key bundles, intoto entries, Rekor v2 DSSE entries, negative log indexes, log key and
 * time source validity windows, integrated time vs. certificate validity and the clock, checkpoints
 * whose log signature is not the first line). See docs/verification.md.
 */
final class SigstoreBundleVerifier implements BundleVerifier {
  /** How far a log's integrated time may be ahead of this machine's clock. */
  static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

  private static final String CODE_SIGNING = "1.3.6.1.5.5.7.3.3";
  private static final String IN_TOTO = "application/vnd.in-toto+json";
  private static final ObjectMapper JSON = io.cnai.installer.json.Mappers.JSON;
  private final Clock clock;

  SigstoreBundleVerifier(Clock clock) {
    this.clock = clock;
  }

  @Override
  public VerificationResult verify(VerificationRequest request) {
    requireFile(request.bundle(), "bundle", "pass the path of the .sigstore.json bundle");
    requireFile(request.artifact(), "artifact", "pass the file the bundle is about");
    if (request.trustedRoot() != null) {
      requireFile(request.trustedRoot(), "trusted root", "pass a Sigstore trusted_root.json");
    }
    if (request.policy() instanceof SignerPolicy.PublicKey k) {
      requireFile(k.keyFile(), "public key", "pass the signer's PEM public key");
    }
    SigstoreBundle bundle = SigstoreBundle.read(request.bundle());
    TrustedRoot root = request.trustedRoot() == null ? null : TrustedRoot.read(request.trustedRoot());
    byte[] artifact = readArtifact(request.artifact());
    String artifactSha256 = hex(sha256(artifact));
    boolean keyless = request.policy() instanceof SignerPolicy.Keyless;

    PublicKey signingKey;
    X509Certificate leaf = bundle.leaf();
    if (keyless) {
      if (leaf == null) {
        throw refuse(
            "the bundle was signed with a public key, not a certificate",
            "verify it with --key and the signer's public key");
      }
      signingKey = leaf.getPublicKey();
    } else {
      if (leaf != null) {
        throw refuse(
            "the bundle carries a signing certificate, not a public key hint",
            "verify it with --identity and --issuer");
      }
      signingKey = Pem.readPublicKey(((SignerPolicy.PublicKey) request.policy()).keyFile());
    }

    // 1. The signature over the artifact (message signature) or over the DSSE PAE.
    byte[] signed = checkSignature(bundle, artifact, signingKey);

    boolean needsRoot = keyless || !bundle.entries().isEmpty() || !bundle.rfc3161Timestamps().isEmpty();
    if (needsRoot) {
      if (root == null) {
        throw CnaiException.badInput(
            "a trusted root is needed to verify "
                + (keyless ? "a certificate" : "the bundle's transparency log entries and timestamps"),
            "pass --trusted-root with the trusted_root.json of the Sigstore instance that signed");
      }
    }

    // 2. RFC 3161 timestamps: trusted TSA, valid at the time, over this signature.
    List<Instant> tsaTimes = new ArrayList<>();
    for (byte[] token : bundle.rfc3161Timestamps()) {
      Instant t = checkTimestamp(root, token, bundle.signature());
      if (t.isAfter(clock.instant().plus(CLOCK_SKEW))) {
        throw refuse(
            "the RFC 3161 timestamp " + t + " is in the future",
            "check this machine's clock; otherwise the timestamp was forged");
      }
      tsaTimes.add(t);
    }

    // 3. Transparency log entries: inclusion, checkpoint or SET, log key validity, body match.
    List<Instant> integratedTimes = new ArrayList<>();
    OptionalLong firstIndex = OptionalLong.empty();
    Instant firstIntegrated = null;
    for (SigstoreBundle.LogEntry entry : bundle.entries()) {
      Instant integrated = checkEntry(root, bundle, entry, artifact, signed, signingKey, tsaTimes);
      if (firstIndex.isEmpty()) {
        firstIndex = OptionalLong.of(entry.logIndex());
        firstIntegrated = integrated;
      }
      if (integrated != null) {
        integratedTimes.add(integrated);
      }
    }

    List<Instant> times = new ArrayList<>(integratedTimes);
    times.addAll(tsaTimes);
    String signer;
    String issuer = null;
    if (keyless) {
      if (bundle.entries().isEmpty()) {
        throw refuse(
            "the bundle has no transparency log entry",
            "a keyless signature must be logged; sign again with a transparency log");
      }
      if (times.isEmpty()) {
        throw refuse(
            "the bundle has no verified signing time (no signed integrated time, no RFC 3161"
                + " timestamp)",
            "sign again with a Sigstore client that records a timestamp");
      }
      // 4. The certificate: chain to a CA of the trusted root, SCT, validity at the signing times.
      checkCertificate(root, bundle, leaf, integratedTimes, tsaTimes);
      // 5. Identity policy.
      SignerPolicy.Keyless policy = (SignerPolicy.Keyless) request.policy();
      signer = checkIdentity(leaf, policy);
      issuer = CertificateIdentity.issuer(leaf);
    } else {
      signer = "key sha256:" + hex(sha256(signingKey.getEncoded()));
    }
    return new VerificationResult(
        signer,
        issuer,
        artifactSha256,
        firstIndex,
        firstIntegrated,
        List.copyOf(times),
        bundle.dsse() != null ? "dsse" : "message-signature");
  }

  // ---------------------------------------------------------------- signature and content

  private static byte[] checkSignature(SigstoreBundle bundle, byte[] artifact, PublicKey key) {
    if (bundle.messageSignature() != null) {
      SigstoreBundle.MessageSignature ms = bundle.messageSignature();
      if (ms.digest() != null) {
        byte[] actual = digest(ms.digestAlgorithm(), artifact);
        if (!MessageDigest.isEqual(actual, ms.digest())) {
          throw refuse(
              "the bundle's message digest does not match the artifact ("
                  + ms.digestAlgorithm()
                  + " of the artifact is "
                  + hex(actual)
                  + ", the bundle says "
                  + hex(ms.digest())
                  + ")",
              "check that you passed the artifact this bundle was made for");
        }
      }
      if (!verifySignature(key, artifact, ms.signature())) {
        throw refuse(
            "the signature does not verify over the artifact with the signer's key",
            "the artifact or the bundle was altered, or the bundle belongs to another artifact");
      }
      return artifact;
    }
    SigstoreBundle.Dsse dsse = bundle.dsse();
    byte[] pae = dsse.pae();
    if (!verifySignature(key, pae, dsse.signatures().get(0))) {
      throw refuse(
          "the DSSE envelope signature does not verify with the signer's key",
          "the envelope was altered or signed by someone else");
    }
    if (!IN_TOTO.equals(dsse.payloadType())) {
      throw refuse(
          "the DSSE payload type is '" + dsse.payloadType() + "', not " + IN_TOTO,
          "cnai verifies in-toto attestations only");
    }
    checkSubject(dsse.payload(), hex(sha256(artifact)));
    return pae;
  }

  private static void checkSubject(byte[] payload, String artifactSha256) {
    JsonNode statement;
    try {
      statement = JSON.readTree(payload);
    } catch (IOException e) {
      throw refuse("the in-toto statement is not JSON: " + e.getMessage(), null);
    }
    for (JsonNode subject : statement.path("subject")) {
      if (artifactSha256.equalsIgnoreCase(subject.path("digest").path("sha256").asText(""))) {
        return;
      }
    }
    throw refuse(
        "the artifact (sha256:" + artifactSha256 + ") is not a subject of the in-toto statement",
        "pass the artifact the attestation is about");
  }

  // ---------------------------------------------------------------- timestamps

  private static Instant checkTimestamp(TrustedRoot root, byte[] token, byte[] signature) {
    var response = ImmutableTimestampResponse.builder().encoded(token).build();
    try {
      TimestampVerifier.newTimestampVerifier(root.sigstore()).verify(response, signature);
      return response.getGenTime().toInstant();
    } catch (TimestampVerificationException | TimestampException e) {
      throw refuse(
          "the RFC 3161 timestamp does not verify: " + oneLine(e.getMessage()),
          "the timestamp must come from a timestamp authority of the trusted root, be valid at its"
              + " time and cover this signature");
    } catch (GeneralSecurityException | RuntimeException e) {
      throw refuse("the RFC 3161 timestamp cannot be read: " + oneLine(e.getMessage()), null);
    }
  }

  // ---------------------------------------------------------------- transparency log

  /** Returns the entry's integrated time when a signed entry timestamp vouches for it, else null. */
  private Instant checkEntry(
      TrustedRoot root,
      SigstoreBundle bundle,
      SigstoreBundle.LogEntry entry,
      byte[] artifact,
      byte[] signed,
      PublicKey signingKey,
      List<Instant> tsaTimes) {
    String where = "transparency log entry " + entry.logIndex() + ": ";
    if (entry.logIndex() < 0) {
      throw refuse(where + "negative log index", "the bundle was altered");
    }
    if (entry.integratedTime() < 0) {
      throw refuse(where + "negative integrated time", "the bundle was altered");
    }
    TransparencyLog tlog = root.tlog(entry.logId());
    PublicKey logKey;
    try {
      logKey = tlog.getPublicKey().toJavaPublicKey();
    } catch (GeneralSecurityException e) {
      throw refuse(where + "the log's key in the trusted root cannot be read: " + e.getMessage(), null);
    }

    // What the entry records must be this bundle's content, signature and signer.
    checkBody(where, bundle, entry, artifact, signed, signingKey);

    // Inclusion: a proof is required from bundle v0.2 on; v0.1 may rely on the promise (SET).
    if (entry.inclusionProof() == null) {
      if (bundle.minorVersion() >= 2) {
        throw refuse(
            where + "no inclusion proof (required from bundle v0.2 on)",
            "get a complete bundle from the signer");
      }
      if (entry.signedEntryTimestamp() == null) {
        throw refuse(where + "neither an inclusion proof nor an inclusion promise", null);
      }
    } else {
      checkInclusion(where, entry, tlog, logKey);
    }

    Instant integrated = null;
    if (entry.signedEntryTimestamp() != null) {
      if (entry.integratedTime() == 0) {
        throw refuse(where + "an inclusion promise without an integrated time", null);
      }
      checkSet(where, entry, logKey);
      integrated = Instant.ofEpochSecond(entry.integratedTime());
      if (integrated.isAfter(clock.instant().plus(CLOCK_SKEW))) {
        throw refuse(
            where + "the integrated time " + integrated + " is in the future",
            "check this machine's clock; otherwise the bundle was forged");
      }
    }

    // The log's key must have been valid when the entry was made.
    List<Instant> entryTimes = integrated != null ? List.of(integrated) : tsaTimes;
    if (entryTimes.isEmpty()) {
      throw refuse(
          where + "no verified time (no signed integrated time, no RFC 3161 timestamp)",
          "a Rekor v2 entry needs a timestamp from a timestamp authority");
    }
    for (Instant t : entryTimes) {
      if (!TrustedRoot.contains(tlog.getPublicKey().getValidFor(), t)) {
        throw refuse(
            where + "the log key " + tlog.getBaseUrl() + " was not valid at " + t
                + " according to the trusted root",
            "use a trusted root that covers the signing time");
      }
    }

    return integrated;
  }

  private static void checkInclusion(
      String where, SigstoreBundle.LogEntry entry, TransparencyLog tlog, PublicKey logKey) {
    SigstoreBundle.InclusionProof proof = entry.inclusionProof();
    if (proof.logIndex() < 0 || proof.treeSize() <= 0 || proof.logIndex() >= proof.treeSize()) {
      throw refuse(
          where + "inclusion proof index " + proof.logIndex() + " is outside the tree of size "
              + proof.treeSize(),
          "the bundle was altered");
    }
    byte[] leafHash = leafHash(entry.canonicalizedBody());
    try {
      InclusionProofVerifier.verify(
          leafHash, proof.logIndex(), proof.treeSize(), proof.hashes(), proof.rootHash());
    } catch (InclusionProofVerificationException | RuntimeException e) {
      throw refuse(
          where + "the inclusion proof does not lead to the root hash: " + oneLine(e.getMessage()),
          "the log entry or its proof was altered");
    }
    if (proof.checkpoint() == null) {
      throw refuse(where + "the inclusion proof has no checkpoint", null);
    }
    Checkpoint cp;
    try {
      cp = Checkpoint.parse(proof.checkpoint());
    } catch (IllegalArgumentException e) {
      throw refuse(where + "malformed checkpoint: " + e.getMessage(), "the bundle was altered");
    }
    if (!Arrays.equals(cp.rootHash(), proof.rootHash()) || cp.size() != proof.treeSize()) {
      throw refuse(
          where + "the checkpoint (tree size " + cp.size() + ", root hash "
              + hex(cp.rootHash()) + ") does not match the inclusion proof (tree size "
              + proof.treeSize() + ", root hash " + hex(proof.rootHash()) + ")",
          "the checkpoint or the proof was altered");
    }
    byte[] hint = Arrays.copyOf(tlog.getLogId().getKeyId(), 4);
    boolean verified = false;
    for (Checkpoint.Signature s : cp.signatures()) {
      // Lines from other keys (witness cosignatures) are skipped, wherever they stand.
      if (Arrays.equals(s.keyHint(), hint) && verifySignature(logKey, cp.signedBytes(), s.signature())) {
        verified = true;
        break;
      }
    }
    if (!verified) {
      throw refuse(
          where + "no checkpoint signature verifies with the key of log " + tlog.getBaseUrl(),
          "the checkpoint was altered or not signed by a trusted log");
    }
  }

  private static void checkSet(String where, SigstoreBundle.LogEntry entry, PublicKey logKey) {
    String payload =
        "{\"body\":\""
            + Base64.getEncoder().encodeToString(entry.canonicalizedBody())
            + "\",\"integratedTime\":"
            + entry.integratedTime()
            + ",\"logID\":\""
            + hex(entry.logId())
            + "\",\"logIndex\":"
            + entry.logIndex()
            + "}";
    if (!verifySignature(logKey, payload.getBytes(StandardCharsets.UTF_8), entry.signedEntryTimestamp())) {
      throw refuse(
          where + "the signed entry timestamp (inclusion promise) does not verify with the log's key",
          "the log entry, its index or its time was altered");
    }
  }

  private static void checkBody(
      String where,
      SigstoreBundle bundle,
      SigstoreBundle.LogEntry entry,
      byte[] artifact,
      byte[] signed,
      PublicKey signingKey) {
    JsonNode body;
    try {
      body = JSON.readTree(entry.canonicalizedBody());
    } catch (IOException e) {
      throw refuse(where + "the log entry body is not JSON", null);
    }
    String kind = body.path("kind").asText();
    String version = body.path("apiVersion").asText();
    if (!kind.equals(entry.kind()) || !version.equals(entry.version())) {
      throw refuse(
          where + "the entry says " + entry.kind() + "/" + entry.version() + " but its body is "
              + kind + "/" + version,
          "the bundle was altered");
    }
    boolean dsse = bundle.dsse() != null;
    byte[] signature = bundle.signature();
    String kv = kind + "/" + version;
    EntryBody.Facts facts =
        switch (kv) {
          case "hashedrekord/0.0.1" -> dsse ? null : EntryBody.hashedRekordV1(body);
          case "hashedrekord/0.0.2" -> EntryBody.hashedRekordV2(body);
          case "dsse/0.0.1" -> dsse ? EntryBody.dsseV1(body) : null;
          case "intoto/0.0.2" -> dsse ? EntryBody.intotoV2(body) : null;
          default -> null;
        };
    if (facts == null) {
      throw refuse(
          where + "a " + kv + " log entry cannot record a "
              + (dsse ? "DSSE envelope" : "message signature"),
          "cnai reads hashedrekord 0.0.1/0.0.2, dsse 0.0.1 and intoto 0.0.2 entries");
    }
    // What the entry says was signed.
    if (facts.digest() != null) {
      byte[] expected = digest(facts.digestAlgorithm(), dsse ? signed : artifact);
      if (!MessageDigest.isEqual(expected, facts.digest())) {
        throw refuse(
            where + "the log entry records a different "
                + (dsse ? "DSSE envelope (digest of its PAE)" : "artifact digest")
                + " than this bundle",
            "the bundle's content does not match what was logged");
      }
    }
    if (facts.payloadSha256() != null
        && !MessageDigest.isEqual(facts.payloadSha256(), sha256(bundle.dsse().payload()))) {
      throw refuse(
          where + "the log entry records a different DSSE payload than the bundle's envelope",
          "the bundle's content does not match what was logged");
    }
    // Which signature and which key the entry records.
    boolean sigMatch = false;
    boolean keyMatch = false;
    for (EntryBody.SignerRecord r : facts.signers()) {
      if (MessageDigest.isEqual(r.signature(), signature)) {
        sigMatch = true;
        if (r.matches(bundle.leaf(), signingKey)) {
          keyMatch = true;
        }
      }
    }
    if (!sigMatch) {
      throw refuse(
          where + "the log entry records a different signature than the bundle's",
          "the bundle's signature is not the one that was logged");
    }
    if (!keyMatch) {
      throw refuse(
          where + "the log entry records a different "
              + (bundle.leaf() != null ? "certificate" : "public key") + " than the bundle's",
          "the bundle's signer is not the one that was logged");
    }
  }

  // ---------------------------------------------------------------- certificate

  private static void checkCertificate(
      TrustedRoot root,
      SigstoreBundle bundle,
      X509Certificate leaf,
      List<Instant> integratedTimes,
      List<Instant> tsaTimes) {
    checkWithinValidity(leaf, "the log's signed integrated time", integratedTimes);
    checkWithinValidity(leaf, "the RFC 3161 timestamp", tsaTimes);
    try {
      List<String> eku = leaf.getExtendedKeyUsage();
      if (eku == null || !eku.contains(CODE_SIGNING)) {
        throw refuse(
            "the signing certificate is not for code signing (extended key usage " + eku + ")",
            "a Sigstore signing certificate must carry the codeSigning extended key usage");
      }
    } catch (java.security.cert.CertificateParsingException e) {
      throw refuse("the signing certificate's extended key usage cannot be read", null);
    }
    boolean[] usage = leaf.getKeyUsage();
    if (usage == null || !usage[0]) {
      throw refuse(
          "the signing certificate does not allow digital signatures (key usage)",
          "a Sigstore signing certificate must carry the digitalSignature key usage");
    }
    CertPath path;
    try {
      path = CertificateFactory.getInstance("X.509").generateCertPath(bundle.certificates());
    } catch (CertificateException e) {
      throw refuse("the certificate chain cannot be read: " + e.getMessage(), null);
    }
    try {
      FulcioVerifier.newFulcioVerifier(root.sigstore()).verifySigningCertificate(path);
    } catch (FulcioVerificationException e) {
      throw refuse(
          "the signing certificate does not verify: " + oneLine(e.getMessage()),
          "it must chain to a certificate authority of the trusted root that was valid when it was"
              + " issued, and carry a valid SCT from a trusted CT log");
    } catch (GeneralSecurityException | IOException | RuntimeException e) {
      throw refuse("the signing certificate cannot be checked: " + oneLine(e.getMessage()), null);
    }
  }

  private static void checkWithinValidity(X509Certificate leaf, String what, List<Instant> times) {
    for (Instant t : times) {
      if (t.isBefore(leaf.getNotBefore().toInstant()) || t.isAfter(leaf.getNotAfter().toInstant())) {
        throw refuse(
            what + " " + t + " is outside the signing certificate's validity ("
                + leaf.getNotBefore().toInstant() + " to " + leaf.getNotAfter().toInstant() + ")",
            "the signature was not made while the certificate was valid; the bundle was altered or"
                + " assembled from different signings");
      }
    }
  }

  private static String checkIdentity(X509Certificate leaf, SignerPolicy.Keyless policy) {
    List<String> sans = CertificateIdentity.subjectAlternativeNames(leaf);
    String issuer = CertificateIdentity.issuer(leaf);
    String identity = sans.stream().filter(policy.identity()::test).findFirst().orElse(null);
    if (identity == null) {
      throw refuse(
          "the certificate identity " + sans + " does not match the expected " + policy.identity(),
          "check --identity/--identity-regexp; the bundle was signed by someone else");
    }
    if (!policy.issuer().test(issuer)) {
      throw refuse(
          "the certificate's OIDC issuer '" + issuer + "' does not match the expected "
              + policy.issuer(),
          "check --issuer/--issuer-regexp");
    }
    // sigstore-java's own matcher must agree with cnai's reading of the extensions.
    try {
      var matcher =
          VerificationOptions.CertificateMatcher.fulcio()
              .subjectAlternativeName(
                  policy.identity().regex()
                      ? StringMatcher.regex(policy.identity().value())
                      : StringMatcher.string(policy.identity().value()))
              .issuer(
                  policy.issuer().regex()
                      ? StringMatcher.regex(policy.issuer().value())
                      : StringMatcher.string(policy.issuer().value()))
              .build();
      if (!matcher.test(leaf)) {
        throw refuse(
            "sigstore-java does not match the certificate against the identity policy", null);
      }
    } catch (CnaiException e) {
      throw e;
    } catch (Exception e) {
      throw refuse("the identity policy cannot be checked: " + oneLine(e.getMessage()), null);
    }
    return identity;
  }

  // ---------------------------------------------------------------- helpers

  private static void requireFile(Path file, String what, String hint) {
    if (!Files.isRegularFile(file)) {
      throw CnaiException.badInput(
          what + " " + file + (Files.exists(file) ? " is not a regular file" : " does not exist"), hint);
    }
  }

  private static byte[] readArtifact(Path artifact) {
    try {
      return Files.readAllBytes(artifact);
    } catch (NoSuchFileException e) {
      throw CnaiException.badInput(
          "artifact " + artifact + " does not exist", "pass the file the bundle is about");
    } catch (IOException e) {
      throw CnaiException.badInput("cannot read artifact " + artifact + ": " + e.getMessage(), null);
    }
  }

  static boolean verifySignature(PublicKey key, byte[] data, byte[] signature) {
    try {
      return Verifiers.newVerifier(key).verify(data, signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  static byte[] leafHash(byte[] body) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update((byte) 0);
      return md.digest(body);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] sha256(byte[] data) {
    return digest("SHA2_256", data);
  }

  static byte[] digest(String algorithm, byte[] data) {
    String jca =
        switch (algorithm == null ? "" : algorithm.toUpperCase(java.util.Locale.ROOT)) {
          case "SHA2_256", "SHA256", "SHA-256" -> "SHA-256";
          case "SHA2_384", "SHA384", "SHA-384" -> "SHA-384";
          case "SHA2_512", "SHA512", "SHA-512" -> "SHA-512";
          default -> throw refuse("unsupported digest algorithm '" + algorithm + "'", null);
        };
    try {
      return MessageDigest.getInstance(jca).digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s*\n\\s*", "; ");
  }

  static CnaiException refuse(String problem, String hint) {
    return CnaiException.refused(problem, hint);
  }
}
