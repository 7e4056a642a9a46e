package io.cnai.installer.cluster.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimPkiTest {
  static X509Certificate cert(Path p) throws Exception {
    try (InputStream in = Files.newInputStream(p)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  @Test
  void certificatesChainToTheClusterCaWithTheRightNames(@TempDir Path dir) throws Exception {
    new SimPki(Clock.systemUTC()).writeAll(dir, "t");
    X509Certificate ca = cert(dir.resolve("ca.crt"));
    X509Certificate api = cert(dir.resolve("apiserver.crt"));
    X509Certificate admin = cert(dir.resolve("admin.crt"));
    api.verify(ca.getPublicKey());
    admin.verify(ca.getPublicKey());
    assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(api.getSubjectAlternativeNames()).extracting(l -> l.get(1).toString())
        .contains("127.0.0.1", "10.96.0.1", "kubernetes.default.svc");
    assertThat(admin.getSubjectX500Principal().getName()).contains("O=system:masters");
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("admin.key"))))
        .isEqualTo("rw-------");
    assertThat(Files.readString(dir.resolve("sa.pub"))).startsWith("-----BEGIN PUBLIC KEY-----");
  }
}
