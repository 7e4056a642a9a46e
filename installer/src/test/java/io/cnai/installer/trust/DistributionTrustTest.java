package io.cnai.installer.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cnai.core.CnaiException;
import io.cnai.core.ErrorKind;
import io.cnai.distro.Distribution;
import io.cnai.distro.DistributionLoader;
import io.cnai.installer.TestPaths;
import io.cnai.installer.verify.KeyPairs;
import io.cnai.installer.verify.KeySigner;
import io.cnai.installer.verify.Match;
import io.cnai.installer.verify.SignerPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The distribution check on a copy of the real release lockfile, signed with a fresh key. */
class DistributionTrustTest {
  @TempDir Path dir;
  Path lockfile;
  Path pub;
  Path otherPub;
  final DistributionTrust trust = DistributionTrust.sigstore(Clock.systemUTC());

  @BeforeEach
  void signRelease() throws Exception {
    System.setProperty("cnai.trust.dir", dir.resolve("trust").toString());
    lockfile = dir.resolve("distribution.yaml");
    Files.copy(TestPaths.release(), lockfile);
    pub = dir.resolve("release.pub");
    KeyPairs.write(KeyPairs.generate(), dir.resolve("release.key"), pub);
    otherPub = dir.resolve("other.pub");
    KeyPairs.write(KeyPairs.generate(), dir.resolve("other.key"), otherPub);
    new KeySigner(KeyPairs.read(dir.resolve("release.key"), pub)).sign(lockfile, DistributionTrust.bundleFor(lockfile));
  }

  @AfterEach
  void clear() {
    System.clearProperty("cnai.trust.dir");
  }

  static CnaiException thrown(Runnable r) {
    try {
      r.run();
    } catch (CnaiException e) {
      return e;
    }
    throw new AssertionError("expected a CnaiException");
  }

  @Test
  void signedReleaseVerifiesAndHandsBackTheVerifiedBytes() throws Exception {
    TrustDecision d = trust.check(lockfile, TrustPolicy.key(pub, "test"));
    assertThat(d.verified()).isTrue();
    assertThat(d.signer()).startsWith("key sha256:");
    assertThat(d.content()).isEqualTo(Files.readAllBytes(lockfile));
    assertThat(d.record()).containsEntry("distributionTrust", "verified").containsEntry("distributionSha256", d.sha256());
    assertThat(d.allowUnverified()).isEmpty();
    Distribution parsed = DistributionLoader.parse(lockfile.toString(), d.text());
    assertThat(parsed.version()).isEqualTo("2026.11");
    assertThat(DistributionTrust.bundleFor(lockfile).getFileName().toString()).isEqualTo("distribution.yaml.sigstore.json");
  }

  @Test
  void oneByteEditedAfterSigningIsRefusedBeforeParsing() throws Exception {
    byte[] b = Files.readAllBytes(lockfile);
    int i = new String(b, java.nio.charset.StandardCharsets.US_ASCII).indexOf("v1.21.1");
    b[i + 6] = '2'; // cert-manager v1.21.1 -> v1.21.2: still valid YAML, still a valid lockfile
    Files.write(lockfile, b);
    DistributionLoader.load(lockfile); // the edit alone would pass validation
    CnaiException e = thrown(() -> trust.check(lockfile, TrustPolicy.key(pub, "test")));
    assertThat(e.kind()).isEqualTo(ErrorKind.VERIFICATION);
    assertThat(e.exitCode()).isEqualTo(3);
    assertThat(e.problem()).contains(lockfile.toString()).contains("message digest does not match");
    assertThat(e.hint()).contains("changed after it was signed").contains("cnai distro sign");
  }

  @Test
  void aLockfileThatIsNotEvenYamlIsRefusedForItsSignatureNotItsSyntax() throws Exception {
    Files.writeString(lockfile, "{{{ not yaml");
    CnaiException e = thrown(() -> trust.check(lockfile, TrustPolicy.key(pub, "test")));
    assertThat(e.kind()).isEqualTo(ErrorKind.VERIFICATION);
  }

  @Test
  void signatureOfAnotherKeyIsRefused() {
    CnaiException e = thrown(() -> trust.check(lockfile, TrustPolicy.key(otherPub, "--distribution-key")));
    assertThat(e.exitCode()).isEqualTo(3);
    assertThat(e.problem()).contains("key " + otherPub).contains("from --distribution-key").contains("signature");
  }

  @Test
  void anyOfSeveralSignersSufficesForKeyRotation() {
    TrustPolicy both =
        new TrustPolicy(List.of(new SignerPolicy.PublicKey(otherPub), new SignerPolicy.PublicKey(pub)), null, false, "policy");
    assertThat(trust.check(lockfile, both).verified()).isTrue();
  }

  @Test
  void missingBundleIsRefusedUnlessExplicitlyAllowed() throws Exception {
    Files.delete(DistributionTrust.bundleFor(lockfile));
    CnaiException e = thrown(() -> trust.check(lockfile, TrustPolicy.key(pub, "test")));
    assertThat(e.exitCode()).isEqualTo(3);
    assertThat(e.problem()).contains("is not signed").contains("distribution.yaml.sigstore.json");
    assertThat(e.hint()).contains("--allow-unsigned-distribution");

    TrustDecision d = trust.check(lockfile, TrustPolicy.key(pub, "test").withAllowUnsigned(true));
    assertThat(d.verified()).isFalse();
    assertThat(d.signer()).isNull();
    assertThat(d.record()).containsEntry("distributionTrust", "unsigned-allowed");
    assertThat(d.summary()).startsWith("WARNING").contains("NOT verified");
    assertThat(d.allowUnverified()).hasValueSatisfying(v -> assertThat(v).startsWith("distribution sha256:" + d.sha256()).contains("no signature bundle"));
  }

  @Test
  void allowUnsignedNeverLetsAFailingSignatureThrough() throws Exception {
    Files.writeString(lockfile, "# edited\n", java.nio.file.StandardOpenOption.APPEND);
    CnaiException e = thrown(() -> trust.check(lockfile, TrustPolicy.key(pub, "test").withAllowUnsigned(true)));
    assertThat(e.exitCode()).isEqualTo(3);
  }

  @Test
  void noSignerConfiguredIsBadInputUnlessAllowed() {
    CnaiException e = thrown(() -> trust.check(lockfile, TrustPolicy.none()));
    assertThat(e.exitCode()).isEqualTo(2);
    assertThat(e.problem()).contains("no trusted signer is configured");
    assertThat(e.hint()).contains("--distribution-key").contains(TrustPolicy.KEY_ENV);
    TrustDecision d = trust.check(lockfile, TrustPolicy.none().withAllowUnsigned(true));
    assertThat(d.verified()).isFalse();
    assertThat(d.reason()).contains("no signer configured");
  }

  @Test
  void keylessSignerWithoutAnyTrustedRootSaysHowToGetOne() {
    TrustPolicy p = TrustPolicy.keyless(Match.exact("https://ci.example/release"), Match.exact("https://issuer.example"), null, "test");
    CnaiException e = thrown(() -> trust.check(lockfile, p));
    assertThat(e.exitCode()).isEqualTo(2);
    assertThat(e.hint()).contains("cnai distro trust update");
  }

  @Test
  void keylessSignerRefusesAKeySignedBundle() throws Exception {
    TrustPolicy p = TrustPolicy.keyless(Match.exact(IDENTITY), Match.exact(ISSUER), PUBLIC_GOOD_ROOT, "test");
    CnaiException e = thrown(() -> trust.check(lockfile, p));
    assertThat(e.exitCode()).isEqualTo(3);
    assertThat(e.problem()).contains("signed with a public key, not a certificate");
  }

  static final Path VECTORS = TestPaths.root().resolve("../shared/fixtures/sigstore-conformance").normalize();
  static final Path PUBLIC_GOOD_ROOT = VECTORS.resolve("public-good-trusted_root.json");
  static final String IDENTITY =
      "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";
  static final String ISSUER = "https://token.actions.githubusercontent.com";

  /** A keyless-signed file from the Sigstore conformance vectors, laid out as a lockfile and its bundle. */
  Path keylessSigned() throws Exception {
    Path file = dir.resolve("a.txt");
    Files.copy(VECTORS.resolve("bundle-verify/a.txt"), file);
    Files.copy(VECTORS.resolve("bundle-verify/happy-path-v0.3/bundle.sigstore.json"), DistributionTrust.bundleFor(file));
    return file;
  }

  @Test
  void keylessSignatureVerifiesWithTheStoredTrustedRoot() throws Exception {
    Path file = keylessSigned();
    Files.createDirectories(TrustStore.dir());
    Files.copy(PUBLIC_GOOD_ROOT, TrustStore.trustedRoot());
    TrustDecision d = trust.check(file, TrustPolicy.keyless(Match.exact(IDENTITY), Match.exact(ISSUER), null, "test"));
    assertThat(d.verified()).isTrue();
    assertThat(d.signer()).isEqualTo(IDENTITY);
  }

  @Test
  void keylessSignatureOfAnotherIdentityIsRefused() throws Exception {
    Path file = keylessSigned();
    TrustPolicy p =
        TrustPolicy.keyless(Match.exact("https://github.com/cnai/cnai/.github/workflows/release.yml@refs/heads/main"), Match.exact(ISSUER), PUBLIC_GOOD_ROOT, "policy");
    CnaiException e = thrown(() -> trust.check(file, p));
    assertThat(e.exitCode()).isEqualTo(3);
    assertThat(e.problem()).contains("identity https://github.com/cnai/cnai");
  }

  @Test
  void missingLockfileOrKeyIsBadInput() {
    assertThat(thrown(() -> trust.check(dir.resolve("nope.yaml"), TrustPolicy.key(pub, "t"))).exitCode()).isEqualTo(2);
    assertThat(thrown(() -> trust.check(lockfile, TrustPolicy.key(dir.resolve("nope.pub"), "t"))).exitCode()).isEqualTo(2);
  }

  @Test
  void garbageBundleIsNotAccepted() throws Exception {
    Files.writeString(DistributionTrust.bundleFor(lockfile), "{\"mediaType\": \"application/vnd.dev.sigstore.bundle.v0.3+json\"}");
    assertThatThrownBy(() -> trust.check(lockfile, TrustPolicy.key(pub, "t")))
        .isInstanceOfSatisfying(CnaiException.class, e -> assertThat(e.exitCode()).isEqualTo(3));
  }
}
