package io.cnai.installer.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 'cnai verify blob' on the conformance vectors: exit codes, output and bad input. */
class VerifyCommandTest {
  static final Path BASE = Fixtures.conformance().resolve("bundle-verify");
  static final Path PUBLIC_GOOD = Fixtures.conformance().resolve("public-good-trusted_root.json");
  static final Path HAPPY = BASE.resolve("happy-path-v0.3");
  static final Path A_TXT = BASE.resolve("a.txt");

  @TempDir Path tmp;

  private static List<String> keyless(Path bundle, Path artifact, String... extra) {
    List<String> args = new ArrayList<>(List.of("verify", "blob", "--bundle", bundle.toString(), "--artifact", artifact.toString()));
    args.addAll(List.of(extra));
    return args;
  }

  private static Cli run(List<String> args) {
    return Cli.run(args.toArray(String[]::new));
  }

  private static Cli happy(String... policy) {
    List<String> args = keyless(HAPPY.resolve("bundle.sigstore.json"), A_TXT, policy);
    args.addAll(List.of("--trusted-root", PUBLIC_GOOD.toString()));
    return run(args);
  }

  @Test
  void verifiedPrintsOneSummaryLine() {
    Cli r = happy("--identity", Fixtures.DEFAULT_IDENTITY, "--issuer", Fixtures.DEFAULT_ISSUER);
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out().strip().lines()).hasSize(1);
    assertThat(r.out())
        .startsWith("verified: " + Fixtures.DEFAULT_IDENTITY)
        .contains("issuer " + Fixtures.DEFAULT_ISSUER)
        .contains("log index 79571823")
        .contains("integrated time 2024-03-19T17:26:26Z");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void jsonOutputIsMachineReadable() throws Exception {
    Cli r = happy("--identity", Fixtures.DEFAULT_IDENTITY, "--issuer", Fixtures.DEFAULT_ISSUER, "--output", "json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode n = new ObjectMapper().readTree(r.out());
    assertThat(n.path("verified").asBoolean()).isTrue();
    assertThat(n.path("logIndex").asLong()).isEqualTo(79571823L);
    assertThat(n.path("artifactSha256").asText()).isEqualTo("a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf");
  }

  @Test
  void regularExpressionsMatchTheWholeValue() {
    Cli ok =
        happy(
            "--identity-regexp", "https://github\\.com/sigstore-conformance/.*@refs/heads/main",
            "--issuer-regexp", "https://token\\.actions\\.githubusercontent\\.com");
    assertThat(ok.exit()).as(ok.err()).isZero();
    // a prefix is not a match: the expression must cover the whole identity
    Cli prefix = happy("--identity-regexp", "https://github\\.com/sigstore-conformance", "--issuer", Fixtures.DEFAULT_ISSUER);
    assertThat(prefix.exit()).isEqualTo(3);
    assertThat(prefix.err()).contains("does not match the expected");
  }

  @Test
  void anotherIdentityOrIssuerIsRefused() {
    Cli id = happy("--identity", "https://github.com/evil/repo/.github/workflows/x.yml@refs/heads/main", "--issuer", Fixtures.DEFAULT_ISSUER);
    assertThat(id.exit()).isEqualTo(3);
    assertThat(id.err()).contains("certificate identity").contains("does not match");
    Cli iss = happy("--identity", Fixtures.DEFAULT_IDENTITY, "--issuer", "https://accounts.google.com");
    assertThat(iss.exit()).isEqualTo(3);
    assertThat(iss.err()).contains("OIDC issuer").contains(Fixtures.DEFAULT_ISSUER);
  }

  @Test
  void aFailCaseExitsThreeWithTheReason() {
    Path c = BASE.resolve("signature-mismatch_fail");
    Cli r = happyFor(c, A_TXT);
    assertThat(r.exit()).isEqualTo(3);
    assertThat(r.err()).startsWith("error: ").contains("signature does not verify").contains("hint:");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void dsseArtifactMustBeASubjectOfTheStatement() {
    Path c = BASE.resolve("intoto-with-custom-trust-root");
    List<String> args = keyless(c.resolve("bundle.sigstore.json"), A_TXT, "--identity", Fixtures.DEFAULT_IDENTITY, "--issuer", Fixtures.DEFAULT_ISSUER, "--trusted-root", c.resolve("trusted_root.json").toString());
    Cli r = run(args);
    assertThat(r.exit()).isEqualTo(3);
    assertThat(r.err()).contains("is not a subject of the in-toto statement");
    args.set(5, c.resolve("artifact").toString());
    Cli ok = run(args);
    assertThat(ok.exit()).as(ok.err()).isZero();
    assertThat(ok.out()).contains("dsse over sha256:330a0432");
  }

  private static Cli happyFor(Path caseDir, Path artifact) {
    List<String> args = keyless(caseDir.resolve("bundle.sigstore.json"), artifact, "--identity", Fixtures.DEFAULT_IDENTITY, "--issuer", Fixtures.DEFAULT_ISSUER, "--trusted-root", PUBLIC_GOOD.toString());
    return run(args);
  }

  // ------------------------------------------------------------------ bad input: exit 2

  @Test
  void missingFilesAreBadInput() {
    Cli bundle = happyFor(tmp.resolve("none"), A_TXT);
    assertThat(bundle.exit()).isEqualTo(2);
    assertThat(bundle.err()).contains("bundle").contains("does not exist");
    Cli artifact = happyFor(HAPPY, tmp.resolve("missing.txt"));
    assertThat(artifact.exit()).isEqualTo(2);
    assertThat(artifact.err()).contains("artifact").contains("does not exist");
    Cli root = run(keyless(HAPPY.resolve("bundle.sigstore.json"), A_TXT, "--identity", "x", "--issuer", "y", "--trusted-root", tmp.resolve("root.json").toString()));
    assertThat(root.exit()).isEqualTo(2);
    assertThat(root.err()).contains("trusted root").contains("does not exist");
    Cli key = run(keyless(HAPPY.resolve("bundle.sigstore.json"), A_TXT, "--key", tmp.resolve("k.pub").toString()));
    assertThat(key.exit()).isEqualTo(2);
    assertThat(key.err()).contains("public key").contains("does not exist");
  }

  @Test
  void unreadableJsonIsBadInput() throws Exception {
    Path notJson = tmp.resolve("bundle.json");
    Files.writeString(notJson, "{ this is not json");
    Cli r = run(keyless(notJson, A_TXT, "--identity", "x", "--issuer", "y", "--trusted-root", PUBLIC_GOOD.toString()));
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("is not valid JSON");
    Files.writeString(notJson, "[1, 2]");
    Cli array = run(keyless(notJson, A_TXT, "--identity", "x", "--issuer", "y", "--trusted-root", PUBLIC_GOOD.toString()));
    assertThat(array.exit()).isEqualTo(2);
    Path badRoot = tmp.resolve("root.json");
    Files.writeString(badRoot, "nope");
    Cli root = run(keyless(HAPPY.resolve("bundle.sigstore.json"), A_TXT, "--identity", "x", "--issuer", "y", "--trusted-root", badRoot.toString()));
    assertThat(root.exit()).isEqualTo(2);
    assertThat(root.err()).contains("trusted root").contains("not valid JSON");
  }

  @Test
  void signerOptionsMustBeOneKindAndComplete() {
    Path b = HAPPY.resolve("bundle.sigstore.json");
    String root = PUBLIC_GOOD.toString();
    Cli neither = run(keyless(b, A_TXT, "--trusted-root", root));
    assertThat(neither.exit()).isEqualTo(2);
    assertThat(neither.err()).contains("no signer given");
    Cli both = run(keyless(b, A_TXT, "--identity", "x", "--issuer", "y", "--key", A_TXT.toString(), "--trusted-root", root));
    assertThat(both.exit()).isEqualTo(2);
    assertThat(both.err()).contains("--key cannot be combined");
    Cli noIssuer = run(keyless(b, A_TXT, "--identity", "x", "--trusted-root", root));
    assertThat(noIssuer.exit()).isEqualTo(2);
    assertThat(noIssuer.err()).contains("--identity needs --issuer");
    Cli noIdentity = run(keyless(b, A_TXT, "--issuer", "y", "--trusted-root", root));
    assertThat(noIdentity.exit()).isEqualTo(2);
    Cli twoIds = run(keyless(b, A_TXT, "--identity", "x", "--identity-regexp", "x.*", "--issuer", "y", "--trusted-root", root));
    assertThat(twoIds.exit()).isEqualTo(2);
    assertThat(twoIds.err()).contains("exclusive");
    Cli badRegex = run(keyless(b, A_TXT, "--identity-regexp", "([", "--issuer", "y", "--trusted-root", root));
    assertThat(badRegex.exit()).isEqualTo(2);
    assertThat(badRegex.err()).contains("regular expression");
    Cli badOutput = run(keyless(b, A_TXT, "--identity", "x", "--issuer", "y", "--trusted-root", root, "--output", "yaml"));
    assertThat(badOutput.exit()).isEqualTo(2);
  }

  @Test
  void keylessNeedsATrustedRoot() {
    Cli r = run(keyless(HAPPY.resolve("bundle.sigstore.json"), A_TXT, "--identity", Fixtures.DEFAULT_IDENTITY, "--issuer", Fixtures.DEFAULT_ISSUER));
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("trusted root is needed").contains("--trusted-root");
  }

  @Test
  void missingRequiredOptionsAreUsageErrors() {
    Cli r = Cli.run("verify", "blob", "--artifact", A_TXT.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--bundle");
  }

  @Test
  void helpDescribesTheOptionsAndExitCodes() {
    Cli r = Cli.run("verify", "blob", "--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("--bundle").contains("--identity-regexp").contains("--key").contains("--trusted-root").contains("3 verification refused");
  }
}
