package io.cnai.installer.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.cnai.core.CnaiException;
import io.cnai.core.ErrorKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of the Sigstore conformance vectors (bundle-verify): a folder ending in _fail must be
 * refused, every other one verified. No case is skipped or expected to fail.
 */
class ConformanceTest {
  private final BundleVerifier verifier = BundleVerifier.sigstore(Clock.systemUTC());

  /**
   * For refusals, the reason must be the one the case is about (a word of the refusal message),
   * so that a _fail case refused for an unrelated reason is noticed.
   */
  static final Map<String, String> REASONS =
      Map.ofEntries(
          Map.entry("bundle-invalid-base64-signature_fail", "base64"),
          Map.entry("bundle-negative-log-index_fail", "negative log index"),
          Map.entry("checkpoint-wrong-roothash_fail", "checkpoint"),
          Map.entry("dsse-invalid-sig_fail", "DSSE envelope signature"),
          Map.entry("dsse-mismatch-sig_fail", "different signature"),
          Map.entry("incorrect-public-key_fail", "certificate"),
          Map.entry("integrated-time-in-future_fail", "integrated time 2026-05-07T15:34:11Z is outside the signing certificate"),
          Map.entry("intoto-log-entry-mismatch_fail", "records a different signature"),
          Map.entry("intoto-missing-inclusion-proof_fail", "no inclusion proof"),
          Map.entry("intoto-set-outside-signing-cert-validity_fail", "integrated time"),
          Map.entry("intoto-tsa-timestamp-outside-cert-validity_fail", "RFC 3161 timestamp"),
          Map.entry("invalid-checkpoint-signature_fail", "checkpoint signature"),
          Map.entry("invalid-inclusion-proof_fail", "inclusion proof"),
          Map.entry("message-digest-mismatch_fail", "message digest"),
          Map.entry("rekor2-checkpoint-missing-log-signature_fail", "checkpoint"),
          Map.entry("rekor2-checkpoint-missing-origin_fail", "checkpoint"),
          Map.entry("rekor2-dsse-invalid-sig_fail", "DSSE envelope signature"),
          Map.entry("rekor2-dsse-mismatch-envelope_fail", "DSSE envelope"),
          Map.entry("rekor2-dsse-mismatch-sig_fail", "different signature"),
          Map.entry("rekor2-timestamp-outside-trust-root-tsa-validity_fail", "timestamp"),
          Map.entry("rekor2-timestamp-outside-tsa-cert-validity_fail", "timestamp"),
          Map.entry("rekor2-timestamp-payload-mismatch_fail", "timestamp"),
          Map.entry("rekor2-timestamp-untrusted-tsa-with-embedded-cert_fail", "timestamp"),
          Map.entry("rekor2-timestamp-untrusted-tsa-without-embedded-cert_fail", "timestamp"),
          Map.entry("rekor2-timestamp-with-incorrect-time_fail", "signedTimestamp"),
          Map.entry("signature-mismatch_fail", "signature does not verify"),
          Map.entry("trust-root-tlog-missing-validity-start_fail", "validity start"),
          Map.entry("wrong-hashedrekord-cert-and-sig_fail", "different signature"),
          Map.entry("wrong-material_fail", "digest"));

  static Stream<Arguments> cases() {
    return Fixtures.cases().stream().map(d -> Arguments.of(d.getFileName().toString(), d));
  }

  static VerificationRequest request(Path dir) {
    Path base = dir.getParent();
    Path artifact = Files.exists(dir.resolve("artifact")) ? dir.resolve("artifact") : base.resolve("a.txt");
    Path root =
        Files.exists(dir.resolve("trusted_root.json"))
            ? dir.resolve("trusted_root.json")
            : base.resolveSibling("public-good-trusted_root.json");
    SignerPolicy policy;
    if (Files.exists(dir.resolve("key.pub"))) {
      policy = new SignerPolicy.PublicKey(dir.resolve("key.pub"));
    } else {
      String identity =
          Files.exists(dir.resolve("identity"))
              ? Fixtures.readTrimmed(dir.resolve("identity"))
              : Fixtures.DEFAULT_IDENTITY;
      String issuer =
          Files.exists(dir.resolve("issuer"))
              ? Fixtures.readTrimmed(dir.resolve("issuer"))
              : Fixtures.DEFAULT_ISSUER;
      policy = new SignerPolicy.Keyless(Match.exact(identity), Match.exact(issuer));
    }
    return new VerificationRequest(dir.resolve("bundle.sigstore.json"), artifact, root, policy);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void answersEveryCaseRight(String name, Path dir) {
    VerificationRequest request = request(dir);
    if (name.endsWith("_fail")) {
      try {
        VerificationResult r = verifier.verify(request);
        fail(name + " must be refused, but cnai verified it: " + r.summary());
      } catch (CnaiException e) {
        assertThat(e.kind()).as(name + ": " + e.getMessage()).isEqualTo(ErrorKind.VERIFICATION);
        String reason = REASONS.get(name);
        assertThat(reason).as("a refusal reason is recorded for " + name).isNotNull();
        assertThat(e.problem()).as(name).containsIgnoringCase(reason);
      }
    } else {
      VerificationResult r = verifier.verify(request);
      assertThat(r.artifactSha256()).hasSize(64);
      assertThat(r.timestamps()).as(name + ": at least one verified time").isNotEmpty();
    }
  }

  @Test
  void everyFailCaseHasARecordedReasonAndNoStaleOnes() {
    List<String> fails =
        Fixtures.cases().stream().map(p -> p.getFileName().toString()).filter(n -> n.endsWith("_fail")).toList();
    assertThat(REASONS.keySet()).containsExactlyInAnyOrderElementsOf(fails);
    assertThat(Fixtures.cases()).hasSizeGreaterThan(fails.size());
  }
}
