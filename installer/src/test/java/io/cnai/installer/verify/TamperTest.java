package io.cnai.installer.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cnai.core.CnaiException;
import io.cnai.core.ErrorKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks of cnai's verifier beyond the conformance vectors: altered copies of valid bundles and
 * trusted roots (written to a temporary folder), and the injected clock.
 */
class TamperTest {
  static final Path BASE = Fixtures.conformance().resolve("bundle-verify");
  static final Path PUBLIC_GOOD = Fixtures.conformance().resolve("public-good-trusted_root.json");
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private final BundleVerifier verifier = BundleVerifier.sigstore(Clock.systemUTC());

  private Path altered(Path source, String name, Consumer<ObjectNode> change) throws Exception {
    ObjectNode n = (ObjectNode) JSON.readTree(source.toFile());
    change.accept(n);
    Path out = tmp.resolve(name);
    Files.writeString(out, JSON.writeValueAsString(n));
    return out;
  }

  private static SignerPolicy beacon() {
    return new SignerPolicy.Keyless(Match.exact(Fixtures.DEFAULT_IDENTITY), Match.exact(Fixtures.DEFAULT_ISSUER));
  }

  private static ObjectNode entry(ObjectNode bundle) {
    return (ObjectNode) bundle.path("verificationMaterial").path("tlogEntries").get(0);
  }

  private void assertRefused(VerificationRequest req, String reason) {
    assertRefused(verifier, req, reason);
  }

  private static void assertRefused(BundleVerifier v, VerificationRequest req, String reason) {
    assertThatThrownBy(() -> v.verify(req))
        .isInstanceOfSatisfying(
            CnaiException.class, e -> assertThat(e.kind()).as(e.getMessage()).isEqualTo(ErrorKind.VERIFICATION))
        .hasMessageContaining(reason);
  }

  private static VerificationRequest req(Path bundle, Path root) {
    return new VerificationRequest(bundle, BASE.resolve("a.txt"), root, beacon());
  }

  @Test
  void integratedTimeAheadOfTheClockIsRefused() {
    Path bundle = BASE.resolve("happy-path-v0.1/bundle.sigstore.json");
    // the entry was integrated at 2023-07-12T15:56:36Z
    BundleVerifier before = BundleVerifier.sigstore(Clock.fixed(Instant.parse("2023-07-12T15:50:00Z"), ZoneOffset.UTC));
    assertRefused(before, req(bundle, PUBLIC_GOOD), "is in the future");
    BundleVerifier after = BundleVerifier.sigstore(Clock.fixed(Instant.parse("2023-07-12T15:57:00Z"), ZoneOffset.UTC));
    assertThat(after.verify(req(bundle, PUBLIC_GOOD)).integratedTime()).isEqualTo(Instant.parse("2023-07-12T15:56:36Z"));
  }

  @Test
  void v01BundleMayRelyOnTheInclusionPromiseAlone() throws Exception {
    Path bundle = altered(BASE.resolve("happy-path-v0.1/bundle.sigstore.json"), "promise-only.json", b -> entry(b).remove("inclusionProof"));
    assertThat(verifier.verify(req(bundle, PUBLIC_GOOD)).logIndex()).hasValue(27246492L);
  }

  @Test
  void v03BundleWithoutInclusionProofIsRefused() throws Exception {
    Path bundle = altered(BASE.resolve("happy-path-v0.3/bundle.sigstore.json"), "no-proof.json", b -> entry(b).remove("inclusionProof"));
    assertRefused(req(bundle, PUBLIC_GOOD), "no inclusion proof");
  }

  @Test
  void keylessBundleWithoutLogEntryIsRefused() throws Exception {
    Path bundle = altered(BASE.resolve("happy-path-v0.3/bundle.sigstore.json"), "no-entry.json", b -> ((ObjectNode) b.path("verificationMaterial")).remove("tlogEntries"));
    assertRefused(req(bundle, PUBLIC_GOOD), "no transparency log entry");
  }

  @Test
  void integratedTimeWithoutPromiseIsNotATimeSource() throws Exception {
    Path bundle = altered(BASE.resolve("happy-path-v0.3/bundle.sigstore.json"), "no-set.json", b -> entry(b).remove("inclusionPromise"));
    assertRefused(req(bundle, PUBLIC_GOOD), "no verified time");
  }

  @Test
  void alteredIntegratedTimeBreaksThePromise() throws Exception {
    Path bundle = altered(BASE.resolve("happy-path-v0.3/bundle.sigstore.json"), "moved.json", b -> entry(b).put("integratedTime", "1710869187"));
    assertRefused(req(bundle, PUBLIC_GOOD), "signed entry timestamp");
  }

  @Test
  void rekorV2EntryWithoutTimestampIsRefused() throws Exception {
    Path dir = BASE.resolve("rekor2-happy-path");
    Path bundle = altered(dir.resolve("bundle.sigstore.json"), "no-tsa.json", b -> ((ObjectNode) b.path("verificationMaterial")).remove("timestampVerificationData"));
    assertRefused(req(bundle, dir.resolve("trusted_root.json")), "no verified time");
  }

  @Test
  void logUnknownToTheTrustedRootIsRefused() throws Exception {
    Path root = altered(PUBLIC_GOOD, "no-logs.json", r -> r.putArray("tlogs"));
    assertRefused(req(BASE.resolve("happy-path-v0.3/bundle.sigstore.json"), root), "does not list");
  }

  @Test
  void logKeyExpiredBeforeTheEntryIsRefused() throws Exception {
    Path root =
        altered(PUBLIC_GOOD, "log-expired.json", r -> {
          for (var log : r.path("tlogs")) {
            ((ObjectNode) log.path("publicKey").path("validFor")).put("end", "2023-07-12T15:56:35Z");
          }
        });
    assertRefused(req(BASE.resolve("happy-path-v0.1/bundle.sigstore.json"), root), "was not valid at 2023-07-12T15:56:36Z");
  }

  @Test
  void authorityWithoutValidityStartIsRefused() throws Exception {
    Path dir = BASE.resolve("rekor2-happy-path");
    Path root =
        altered(dir.resolve("trusted_root.json"), "tsa-no-start.json", r -> {
          for (var tsa : r.path("timestampAuthorities")) {
            ((ObjectNode) tsa.path("validFor")).remove("start");
          }
        });
    assertRefused(req(dir.resolve("bundle.sigstore.json"), root), "timestampAuthorities[0] has no validity start");
  }

  @Test
  void unknownMediaTypeAndTwoDsseSignaturesAreRefused() throws Exception {
    Path media = altered(BASE.resolve("happy-path-v0.3/bundle.sigstore.json"), "media.json", b -> b.put("mediaType", "application/vnd.dev.sigstore.bundle+json;version=9.9"));
    assertRefused(req(media, PUBLIC_GOOD), "unknown bundle media type");
    Path dir = BASE.resolve("intoto-with-custom-trust-root");
    Path twoSigs =
        altered(dir.resolve("bundle.sigstore.json"), "two-sigs.json", b -> {
          ArrayNode sigs = (ArrayNode) b.path("dsseEnvelope").path("signatures");
          sigs.add(sigs.get(0).deepCopy());
        });
    assertRefused(new VerificationRequest(twoSigs, dir.resolve("artifact"), dir.resolve("trusted_root.json"), beacon()), "exactly one");
  }

  @Test
  void certificateBundleIsNotVerifiedWithAKey() throws Exception {
    Path pub = tmp.resolve("k.pub");
    KeyPairs.write(KeyPairs.generate(), tmp.resolve("k.key"), pub);
    VerificationRequest r =
        new VerificationRequest(BASE.resolve("happy-path-v0.3/bundle.sigstore.json"), BASE.resolve("a.txt"), PUBLIC_GOOD, new SignerPolicy.PublicKey(pub));
    assertRefused(r, "carries a signing certificate");
  }

  @Test
  void managedKeyBundleRefusesAnotherKey() throws Exception {
    Path dir = BASE.resolve("managed-key-happy-path");
    Path pub = tmp.resolve("k.pub");
    KeyPairs.write(KeyPairs.generate(), tmp.resolve("k.key"), pub);
    assertRefused(new VerificationRequest(dir.resolve("bundle.sigstore.json"), BASE.resolve("a.txt"), PUBLIC_GOOD, new SignerPolicy.PublicKey(pub)), "signature does not verify");
  }

  @Test
  void certificateFromAnotherAuthorityIsRefused() throws Exception {
    var staging = JSON.readTree(BASE.resolve("rekor2-happy-path/trusted_root.json").toFile());
    Path root = altered(PUBLIC_GOOD, "other-ca.json", r -> r.set("certificateAuthorities", staging.path("certificateAuthorities").deepCopy()));
    assertRefused(req(BASE.resolve("happy-path-v0.3/bundle.sigstore.json"), root), "signing certificate does not verify");
  }

  @Test
  void authorityNotValidWhenTheCertificateWasIssuedIsRefused() throws Exception {
    // happy-path-v0.3's certificate was issued on 2024-03-19
    Path root =
        altered(PUBLIC_GOOD, "ca-expired.json", r -> {
          for (var ca : r.path("certificateAuthorities")) {
            ((ObjectNode) ca.path("validFor")).put("end", "2024-01-01T00:00:00Z");
          }
        });
    assertRefused(req(BASE.resolve("happy-path-v0.3/bundle.sigstore.json"), root), "signing certificate does not verify");
  }

  @Test
  void certificateWithoutTrustedSctIsRefused() throws Exception {
    Path root = altered(PUBLIC_GOOD, "no-ct.json", r -> r.putArray("ctlogs"));
    assertRefused(req(BASE.resolve("happy-path-v0.3/bundle.sigstore.json"), root), "signing certificate does not verify");
  }

  @Test
  void timestampOutsideCertificateValidityIsRefusedOnceItsBase64IsUnwrapped() throws Exception {
    // The vector's token is line-wrapped base64, so it is refused as malformed before its time is
    // looked at; unwrapped, the same token must be refused for its time.
    Path dir = BASE.resolve("rekor2-timestamp-with-incorrect-time_fail");
    Path bundle =
        altered(dir.resolve("bundle.sigstore.json"), "unwrapped.json", b -> {
          ObjectNode ts = (ObjectNode) b.path("verificationMaterial").path("timestampVerificationData").path("rfc3161Timestamps").get(0);
          ts.put("signedTimestamp", ts.path("signedTimestamp").asText().replaceAll("\\s", ""));
        });
    assertRefused(req(bundle, dir.resolve("trusted_root.json")), "the RFC 3161 timestamp 2025-07-15T10:33:31Z is outside the signing certificate's validity");
  }

  @Test
  void timestampAheadOfTheClockIsRefused() {
    Path dir = BASE.resolve("rekor2-happy-path");
    // the timestamp authority signed at 2025-06-12T12:02:20Z
    BundleVerifier before = BundleVerifier.sigstore(Clock.fixed(Instant.parse("2025-06-12T12:00:00Z"), ZoneOffset.UTC));
    assertRefused(before, req(dir.resolve("bundle.sigstore.json"), dir.resolve("trusted_root.json")), "the RFC 3161 timestamp 2025-06-12T12:02:20Z is in the future");
  }

  @Test
  void duplicateKeysAreRefused() throws Exception {
    // A second "signature" key: JSON parsers disagree on which one counts, so cnai takes neither.
    String text = Files.readString(BASE.resolve("happy-path-v0.3/bundle.sigstore.json"));
    String dup = text.replaceFirst("\"signature\":", "\"signature\": \"AAAA\", \"signature\":");
    assertThat(dup).isNotEqualTo(text);
    Path bundle = tmp.resolve("dup.json");
    Files.writeString(bundle, dup);
    assertRefused(req(bundle, PUBLIC_GOOD), "Duplicate field 'signature'");
  }
}
