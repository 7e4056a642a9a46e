package io.cnai.installer.trust;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnai.core.CnaiException;
import io.cnai.installer.verify.Match;
import io.cnai.installer.verify.SignerPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the distribution signer comes from, and the release policy file. */
class TrustPolicyTest {
  @TempDir Path dir;

  static TrustPolicy.Flags flags(Path key, String identity, String issuer) {
    return new TrustPolicy.Flags("--distribution-", key, identity, issuer, null, false);
  }

  static CnaiException thrown(Runnable r) {
    return DistributionTrustTest.thrown(r);
  }

  Path policyFile(String signers) throws Exception {
    Path f = dir.resolve("trust-policy.yaml");
    Files.writeString(f, """
        apiVersion: distro.cnai.io/v1alpha1
        kind: DistributionTrustPolicy
        spec:
          signers:
        %s
        """.formatted(signers.indent(4)));
    return f;
  }

  @Test
  void flagsWinOverEnvironmentAndPolicyFile() throws Exception {
    Path file = policyFile("- publicKey: keys/release.pub");
    TrustPolicy p = TrustPolicy.resolve(flags(Path.of("flag.pub"), null, null), Map.of(TrustPolicy.KEY_ENV, "env.pub"), file);
    assertThat(p.signers()).containsExactly(new SignerPolicy.PublicKey(Path.of("flag.pub")));
    assertThat(p.source()).isEqualTo("--distribution-key");
  }

  @Test
  void environmentWinsOverPolicyFile() throws Exception {
    Path file = policyFile("- publicKey: keys/release.pub");
    TrustPolicy p = TrustPolicy.resolve(flags(null, null, null), Map.of(TrustPolicy.KEY_ENV, "env.pub"), file);
    assertThat(p.signers()).containsExactly(new SignerPolicy.PublicKey(Path.of("env.pub")));
    assertThat(p.describe()).isEqualTo("key env.pub (from " + TrustPolicy.KEY_ENV + ")");
  }

  @Test
  void policyFileSignersResolveRelativeToIt() throws Exception {
    Path file = policyFile("""
        - publicKey: keys/release.pub
        - identity: https://ci.example/release
          issuerRegexp: https://issuer\\.example/.*
        """);
    TrustPolicy p = TrustPolicy.resolve(new TrustPolicy.Flags("--distribution-", null, null, null, null, true), Map.of(), file);
    assertThat(p.signers())
        .containsExactly(
            new SignerPolicy.PublicKey(dir.toAbsolutePath().resolve("keys/release.pub")),
            new SignerPolicy.Keyless(Match.exact("https://ci.example/release"), Match.regex("https://issuer\\.example/.*")));
    assertThat(p.allowUnsigned()).isTrue();
    assertThat(p.source()).isEqualTo(file.toString());
  }

  @Test
  void nothingConfiguredGivesNoSigner() {
    TrustPolicy p = TrustPolicy.resolve(flags(null, null, null), Map.of(), dir.resolve("absent.yaml"));
    assertThat(p.signers()).isEmpty();
    assertThat(p.allowUnsigned()).isFalse();
  }

  @Test
  void conflictingOrIncompleteFlagsAreBadInputNamingTheFlags() {
    CnaiException both = thrown(() -> TrustPolicy.resolve(flags(Path.of("k.pub"), "id", "iss"), Map.of(), null));
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.problem()).contains("--distribution-key cannot be combined");
    CnaiException half = thrown(() -> TrustPolicy.resolve(flags(null, "id", null), Map.of(), null));
    assertThat(half.exitCode()).isEqualTo(2);
    assertThat(half.problem()).contains("--distribution-identity and --distribution-issuer go together");
    CnaiException plain = thrown(() -> TrustPolicy.resolve(new TrustPolicy.Flags("--", null, null, "iss", null, false), Map.of(), null));
    assertThat(plain.problem()).startsWith("--identity and --issuer");
  }

  @Test
  void policyFileIsStrict() throws Exception {
    Path unknownFile = policyFile("- publicKey: a.pub\n  fingerprint: abc");
    CnaiException unknown = thrown(() -> TrustPolicyFile.load(unknownFile));
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.location()).isNotNull();
    assertThat(unknown.getMessage()).contains("fingerprint");

    Path mixedFile = policyFile("- publicKey: a.pub\n  identity: x\n  issuer: y");
    CnaiException mixed = thrown(() -> TrustPolicyFile.load(mixedFile));
    assertThat(mixed.problem()).contains("either 'publicKey'");

    Path noIssuerFile = policyFile("- identity: x");
    CnaiException noIssuer = thrown(() -> TrustPolicyFile.load(noIssuerFile));
    assertThat(noIssuer.exitCode()).isEqualTo(2);

    Path emptyFile = policyFile("[]");
    CnaiException empty = thrown(() -> TrustPolicyFile.load(emptyFile));
    assertThat(empty.problem()).contains("spec.signers is empty");

    Path wrongKind = dir.resolve("wrong.yaml");
    Files.writeString(wrongKind, "apiVersion: distro.cnai.io/v1alpha1\nkind: Distribution\nspec: {}\n");
    assertThat(thrown(() -> TrustPolicyFile.load(wrongKind)).problem()).contains("expected 'DistributionTrustPolicy'");
  }
}
