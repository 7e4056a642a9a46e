package io.cnai.installer.trust;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnai.installer.TestPaths;
import io.cnai.installer.cli.Cli;
import io.cnai.installer.cli.TrustOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** 'cnai distro keygen|sign|verify|trust update' and the TrustOptions mixin, in-process. */
class DistroTrustCommandsTest {
  @TempDir Path dir;
  Path lockfile;
  Path keys;

  @BeforeEach
  void setUp() throws Exception {
    System.setProperty("cnai.trust.dir", dir.resolve("trust").toString());
    lockfile = dir.resolve("distribution.yaml");
    Files.copy(TestPaths.release(), lockfile);
    keys = dir.resolve("keys");
    Cli.Result r = Cli.run("distro", "keygen", "--out", keys.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("cnai.key").contains("never commit");
  }

  @AfterEach
  void clear() {
    System.clearProperty("cnai.trust.dir");
    System.setProperty("cnai.root", TestPaths.root().toString());
  }

  Cli.Result sign(String... more) {
    String[] base = {"distro", "sign", lockfile.toString(), "--key", keys.resolve("cnai.key").toString()};
    return Cli.run(concat(base, more));
  }

  Cli.Result verify(String... more) {
    return Cli.run(concat(new String[] {"distro", "verify", lockfile.toString()}, more));
  }

  static String[] concat(String[] a, String[] b) {
    String[] all = new String[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  @Test
  void keygenSignVerify() {
    Cli.Result s = sign();
    assertThat(s.exit()).as(s.err()).isZero();
    assertThat(s.out()).contains("signed " + lockfile).contains("cnai 2026.11");
    assertThat(DistributionTrust.bundleFor(lockfile)).exists();
    Cli.Result v = verify("--key", keys.resolve("cnai.pub").toString());
    assertThat(v.exit()).as(v.err()).isZero();
    assertThat(v.out()).startsWith("verified: " + lockfile).contains("cnai 2026.11").contains("key sha256:");
  }

  @Test
  void jsonOutputForScripts() throws Exception {
    assertThat(sign().exit()).isZero();
    Cli.Result v = verify("--key", keys.resolve("cnai.pub").toString(), "--output", "json");
    assertThat(v.exit()).as(v.err()).isZero();
    var n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(v.out());
    assertThat(n.get("verified").asBoolean()).isTrue();
    assertThat(n.get("version").asText()).isEqualTo("2026.11");
    assertThat(n.get("signer").asText()).startsWith("key sha256:");
    assertThat(verify("--key", keys.resolve("cnai.pub").toString(), "--output", "yaml").exit()).isEqualTo(2);
  }

  @Test
  void aValidBundleOfAnotherFileIsRefused() throws Exception {
    // the bundle of an older release, signed with the same key, put beside the new one
    Path older = dir.resolve("older.yaml");
    Files.writeString(older, Files.readString(lockfile).replace("v1.21.1", "v1.20.0"));
    Cli.Result s = Cli.run("distro", "sign", older.toString(), "--key", keys.resolve("cnai.key").toString(),
        "--bundle", DistributionTrust.bundleFor(lockfile).toString());
    assertThat(s.exit()).as(s.err()).isZero();
    Cli.Result v = verify("--key", keys.resolve("cnai.pub").toString());
    assertThat(v.exit()).isEqualTo(3);
    assertThat(v.err()).contains("message digest does not match");
  }

  @Test
  void editedAfterSigningIsRefusedWithExit3() throws Exception {
    assertThat(sign().exit()).isZero();
    Files.writeString(lockfile, "\n", StandardOpenOption.APPEND);
    Cli.Result v = verify("--key", keys.resolve("cnai.pub").toString());
    assertThat(v.exit()).isEqualTo(3);
    assertThat(v.err()).contains("error: distribution " + lockfile).contains("hint:").contains("changed after it was signed");
  }

  @Test
  void wrongKeyIsRefusedWithExit3() {
    assertThat(sign().exit()).isZero();
    assertThat(Cli.run("distro", "keygen", "--out", keys.toString(), "--name", "other").exit()).isZero();
    Cli.Result v = verify("--key", keys.resolve("other.pub").toString());
    assertThat(v.exit()).isEqualTo(3);
    assertThat(v.err()).contains("other.pub");
  }

  @Test
  void bundleElsewhere() {
    Path b = dir.resolve("out.sigstore.json");
    assertThat(sign("--bundle", b.toString()).exit()).isZero();
    assertThat(DistributionTrust.bundleFor(lockfile)).doesNotExist();
    assertThat(verify("--key", keys.resolve("cnai.pub").toString()).exit()).isEqualTo(3);
    Cli.Result v = verify("--key", keys.resolve("cnai.pub").toString(), "--bundle", b.toString());
    assertThat(v.exit()).as(v.err()).isZero();
  }

  @Test
  void signRefusesAnInvalidLockfileAndWritesNoBundle() throws Exception {
    Files.writeString(lockfile, "apiVersion: distro.cnai.io/v1alpha1\nkind: Distribution\nmetadata: {name: x}\n");
    Cli.Result s = sign();
    assertThat(s.exit()).isEqualTo(2);
    assertThat(DistributionTrust.bundleFor(lockfile)).doesNotExist();
  }

  @Test
  void signNeedsTheMatchingPublicKey() throws Exception {
    Files.copy(keys.resolve("cnai.key"), dir.resolve("lonely.pem"));
    Cli.Result s = Cli.run("distro", "sign", lockfile.toString(), "--key", dir.resolve("lonely.pem").toString());
    assertThat(s.exit()).isEqualTo(2);
    assertThat(s.err()).contains("--pub");
    assertThat(Cli.run("distro", "keygen", "--out", keys.toString(), "--name", "other").exit()).isZero();
    Cli.Result mismatch = sign("--pub", keys.resolve("other.pub").toString());
    assertThat(mismatch.exit()).isEqualTo(2);
    assertThat(mismatch.err()).contains("is not the public key of");
  }

  @Test
  void keygenNeverOverwrites() {
    Cli.Result again = Cli.run("distro", "keygen", "--out", keys.toString());
    assertThat(again.exit()).isEqualTo(2);
    assertThat(again.err()).contains("already exists");
    assertThat(Cli.run("distro", "keygen", "--out", keys.toString(), "--name", "../evil").exit()).isEqualTo(2);
  }

  @Test
  void verifyWithoutBundleIsRefused() {
    Cli.Result v = verify("--key", keys.resolve("cnai.pub").toString());
    assertThat(v.exit()).isEqualTo(3);
    assertThat(v.err()).contains("is not signed");
  }

  @Test
  void verifyWithHalfAKeylessSignerIsBadInput() {
    assertThat(sign().exit()).isZero();
    Cli.Result v = verify("--identity", "https://ci.example/release");
    assertThat(v.exit()).isEqualTo(2);
    assertThat(v.err()).contains("--identity and --issuer go together");
  }

  @Test
  void trustUpdateOfflineFailsClearly() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // closed again: nothing listens there
    }
    Cli.Result r = Cli.run("distro", "trust", "update", "--mirror", "http://127.0.0.1:" + port + "/", "--dir", dir.resolve("t").toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("cannot refresh the Sigstore trusted root").contains("127.0.0.1:" + port).contains("online");
    assertThat(dir.resolve("t").resolve(TrustStore.TRUSTED_ROOT)).doesNotExist();
  }

  @Test
  void trustUpdateBadFlags() {
    assertThat(Cli.run("distro", "trust", "update", "--staging", "--mirror", "https://m.example/").exit()).isEqualTo(2);
    assertThat(Cli.run("distro", "trust", "update", "--tuf-root", "root.json").exit()).isEqualTo(2);
    Cli.Result r = Cli.run("distro", "trust", "update", "--mirror", "ftp://m.example/");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--mirror");
  }

  /** What install will do: the mixin, then verify before parsing. */
  @CommandLine.Command(name = "fake-install")
  static final class FakeInstall {
    @CommandLine.Mixin TrustOptions trust;
  }

  @Test
  void trustOptionsMixinVerifiesAndWarnsWhenAllowedUnsigned() throws Exception {
    assertThat(sign().exit()).isZero();
    FakeInstall cmd = new FakeInstall();
    new CommandLine(cmd).parseArgs("--distribution-key", keys.resolve("cnai.pub").toString());
    StringWriter log = new StringWriter();
    TrustDecision d = cmd.trust.verify(lockfile, new PrintWriter(log));
    assertThat(d.verified()).isTrue();
    assertThat(log.toString()).contains("verified: signed by key sha256:");

    Files.delete(DistributionTrust.bundleFor(lockfile));
    FakeInstall unsigned = new FakeInstall();
    new CommandLine(unsigned).parseArgs("--distribution-key", keys.resolve("cnai.pub").toString(), "--allow-unsigned-distribution");
    StringWriter log2 = new StringWriter();
    TrustDecision u = unsigned.trust.verify(lockfile, new PrintWriter(log2));
    assertThat(u.verified()).isFalse();
    assertThat(log2.toString()).startsWith("WARNING").contains("--allow-unsigned-distribution");
  }

  @Test
  void withoutFlagsTheProjectReleasePolicyDecides() throws Exception {
    // a cnai root of its own: the release and distro/trust-policy.yaml naming the release key
    Path root = dir.resolve("root");
    Path release = root.resolve("distro/releases/2026.11/distribution.yaml");
    Files.createDirectories(release.getParent());
    Files.copy(TestPaths.release(), release);
    Files.createDirectories(root.resolve("distro/keys"));
    Files.copy(keys.resolve("cnai.pub"), root.resolve("distro/keys/release.pub"));
    Files.writeString(root.resolve(TrustOptions.POLICY_FILE), """
        apiVersion: distro.cnai.io/v1alpha1
        kind: DistributionTrustPolicy
        spec:
          signers:
            - publicKey: keys/release.pub
        """);
    Cli.Result s = Cli.run("distro", "sign", release.toString(), "--key", keys.resolve("cnai.key").toString());
    assertThat(s.exit()).as(s.err()).isZero();
    System.setProperty("cnai.root", root.toString());

    FakeInstall cmd = new FakeInstall();
    new CommandLine(cmd).parseArgs();
    assertThat(cmd.trust.policy().source()).endsWith(TrustOptions.POLICY_FILE);
    TrustDecision d = cmd.trust.verify(null, new PrintWriter(new StringWriter())); // null: the newest release
    assertThat(d.verified()).isTrue();

    Files.writeString(release, "# not what was signed\n", StandardOpenOption.APPEND);
    FakeInstall again = new FakeInstall();
    new CommandLine(again).parseArgs("--allow-unsigned-distribution");
    io.cnai.core.CnaiException e = DistributionTrustTest.thrown(() -> again.trust.verify(null, new PrintWriter(new StringWriter())));
    assertThat(e.exitCode()).isEqualTo(3);
    assertThat(e.problem()).contains("from " + root.resolve(TrustOptions.POLICY_FILE));
  }
}
