package io.cnai.installer.cluster.sim;

import io.cnai.core.CnaiException;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The PKI of one sim cluster, made by cnai: a CA, serving certificates for the API server,
 * controller-manager and scheduler, client certificates for the admin, each control-plane part
 * and kwok, and the service-account signing key. ECDSA P-256 throughout (quick to make, accepted
 * by every part).
 */
final class SimPki {
  static final Duration VALIDITY = Duration.ofDays(365);
  /** The first address of the service range, which the "kubernetes" service gets. */
  static final String SERVICE_CIDR = "10.96.0.0/16";

  static final String KUBERNETES_SERVICE_IP = "10.96.0.1";

  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  SimPki(Clock clock) {
    this.clock = clock;
  }

  /** A key and its certificate, as PEM text. */
  record Issued(KeyPair keys, X509Certificate cert) {
    String certPem() {
      return pem(cert);
    }

    /** SEC1 ("EC PRIVATE KEY"): the form both the Go parts and the Java client read. */
    String keyPem() {
      return sec1(keys);
    }
  }

  /** Writes everything the cluster needs into {@code dir}; keys are readable by the owner only. */
  void writeAll(Path dir, String clusterName) {
    writeAll(dir, clusterName, List.of());
  }

  /** The same; the API server's certificate also names {@code extraIps} (where nodes reach it). */
  void writeAll(Path dir, String clusterName, List<String> extraIps) {
    try {
      Files.createDirectories(dir);
      Issued ca = ca("cnai sim " + clusterName + " CA");
      write(dir, "ca", ca);
      List<String> ips = new ArrayList<>(List.of("127.0.0.1", KUBERNETES_SERVICE_IP));
      ips.addAll(extraIps);
      write(dir, "apiserver",
          serving(ca, "kube-apiserver",
              List.of("localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc",
                  "kubernetes.default.svc.cluster.local"),
              ips));
      write(dir, "controller-manager-serving",
          serving(ca, "kube-controller-manager", List.of("localhost"), List.of("127.0.0.1")));
      write(dir, "scheduler-serving",
          serving(ca, "kube-scheduler", List.of("localhost"), List.of("127.0.0.1")));
      write(dir, "admin", client(ca, "cnai-admin", "system:masters"));
      write(dir, "controller-manager", client(ca, "system:kube-controller-manager", null));
      write(dir, "scheduler", client(ca, "system:kube-scheduler", null));
      // kwok plays the kubelet of every node, so it acts with full rights.
      write(dir, "kwok", client(ca, "cnai-kwok", "system:masters"));
      // The aggregation layer's front proxy: its own CA and the client the API server proxies as.
      Issued frontProxyCa = ca("cnai sim " + clusterName + " front-proxy CA");
      write(dir, "front-proxy-ca", frontProxyCa);
      write(dir, "front-proxy-client", client(frontProxyCa, "front-proxy-client", null));
      KeyPair sa = ecKeys();
      writeText(dir.resolve("sa.key"), sec1(sa), true);
      writeText(dir.resolve("sa.pub"), pem(sa.getPublic()), false);
    } catch (IOException | GeneralSecurityException e) {
      throw CnaiException.failure(
          "cannot write the certificates of cluster '" + clusterName + "' into " + dir + ": " + e.getMessage(),
          "check that the directory is writable",
          e);
    }
  }

  /**
   * Writes what real nodes need, signed by the CA already in {@code dir}: the API server's client
   * certificate for the kubelets ({@code apiserver-kubelet-client}, in system:masters, as kubeadm
   * makes it), kube-proxy's client certificate, and per node the kubelet's client certificate
   * ({@code system:node:<node>} in {@code system:nodes}, what the Node authorizer expects) and its
   * serving certificate for the node's address.
   */
  void writeNodes(Path dir, java.util.Map<String, String> nodeIps) {
    try {
      Issued ca = readCa(dir);
      write(dir, "apiserver-kubelet-client", client(ca, "kube-apiserver-kubelet-client", "system:masters"));
      write(dir, "kube-proxy", client(ca, "system:kube-proxy", null));
      write(dir, "coredns", client(ca, "system:coredns", null));
      write(dir, "cnai-netpol", client(ca, "system:cnai-netpol", null));
      for (var e : nodeIps.entrySet()) {
        String node = e.getKey();
        write(dir, "kubelet-" + node, client(ca, "system:node:" + node, "system:nodes"));
        write(dir, "kubelet-" + node + "-serving", serving(ca, node, List.of(node), List.of(e.getValue())));
      }
    } catch (IOException | GeneralSecurityException e) {
      throw CnaiException.failure(
          "cannot write the node certificates into " + dir + ": " + e.getMessage(), "check that the directory is writable", e);
    }
  }

  /** The CA that {@link #writeAll} wrote. */
  static Issued readCa(Path dir) throws IOException, GeneralSecurityException {
    X509Certificate cert;
    try (var in = Files.newInputStream(dir.resolve("ca.crt"))) {
      cert = (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    try (var r = new org.bouncycastle.openssl.PEMParser(Files.newBufferedReader(dir.resolve("ca.key")))) {
      Object o = r.readObject();
      KeyPair keys = new org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter()
          .getKeyPair((org.bouncycastle.openssl.PEMKeyPair) o);
      return new Issued(keys, cert);
    }
  }

  Issued ca(String cn) throws GeneralSecurityException {
    KeyPair keys = ecKeys();
    X500Name name = name(cn, null);
    X509v3CertificateBuilder b = builder(name, name, keys);
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      b.addExtension(Extension.keyUsage, true,
          new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
      b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
      return new Issued(keys, sign(b, keys));
    } catch (IOException e) {
      throw new GeneralSecurityException(e);
    }
  }

  Issued serving(Issued ca, String cn, List<String> dns, List<String> ips)
      throws GeneralSecurityException {
    List<GeneralName> sans = new ArrayList<>();
    dns.forEach(d -> sans.add(new GeneralName(GeneralName.dNSName, d)));
    ips.forEach(i -> sans.add(new GeneralName(GeneralName.iPAddress, i)));
    return leaf(ca, name(cn, null), KeyPurposeId.id_kp_serverAuth, sans);
  }

  Issued client(Issued ca, String cn, String org) throws GeneralSecurityException {
    return leaf(ca, name(cn, org), KeyPurposeId.id_kp_clientAuth, List.of());
  }

  private Issued leaf(Issued ca, X500Name subject, KeyPurposeId purpose, List<GeneralName> sans)
      throws GeneralSecurityException {
    KeyPair keys = ecKeys();
    X509v3CertificateBuilder b =
        builder(X500Name.getInstance(ca.cert().getSubjectX500Principal().getEncoded()), subject, keys);
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(Extension.keyUsage, true,
          new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
      b.addExtension(Extension.authorityKeyIdentifier, false,
          ext.createAuthorityKeyIdentifier(ca.cert()));
      if (!sans.isEmpty()) {
        b.addExtension(Extension.subjectAlternativeName, false,
            new GeneralNames(sans.toArray(GeneralName[]::new)));
      }
      return new Issued(keys, sign(b, ca.keys()));
    } catch (IOException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
    Instant now = clock.instant();
    return new JcaX509v3CertificateBuilder(
        issuer,
        new BigInteger(127, random).add(BigInteger.ONE),
        Date.from(now.minus(Duration.ofHours(1))),
        Date.from(now.plus(VALIDITY)),
        subject,
        keys.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair signer)
      throws GeneralSecurityException {
    try {
      ContentSigner s = new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate());
      return new JcaX509CertificateConverter().getCertificate(b.build(s));
    } catch (org.bouncycastle.operator.OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private static X500Name name(String cn, String org) {
    X500NameBuilder nb = new X500NameBuilder(BCStyle.INSTANCE);
    if (org != null) {
      nb.addRDN(BCStyle.O, org);
    }
    nb.addRDN(BCStyle.CN, cn);
    return nb.build();
  }

  private KeyPair ecKeys() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"), random);
    return g.generateKeyPair();
  }

  static String pem(Object o) {
    StringWriter sw = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
      w.writeObject(o);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return sw.toString();
  }

  /**
   * An EC key pair as a SEC1 "EC PRIVATE KEY" with its named curve and public key, the form Go's
   * parsers, OpenSSL and fabric8's kubeconfig reader all take.
   */
  static String sec1(KeyPair keys) {
    try {
      PrivateKeyInfo info = PrivateKeyInfo.getInstance(keys.getPrivate().getEncoded());
      ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
      SubjectPublicKeyInfo pub = SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded());
      ECPrivateKey full =
          new ECPrivateKey(256, inner.getKey(), pub.getPublicKeyData(), info.getPrivateKeyAlgorithm().getParameters());
      StringWriter sw = new StringWriter();
      try (PemWriter w = new PemWriter(sw)) {
        w.writeObject(new PemObject("EC PRIVATE KEY", full.getEncoded()));
      }
      return sw.toString();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void write(Path dir, String base, Issued issued) throws IOException {
    writeText(dir.resolve(base + ".crt"), issued.certPem(), false);
    writeText(dir.resolve(base + ".key"), issued.keyPem(), true);
  }

  static void writeText(Path file, String text, boolean secret) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    if (secret) {
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(tmp, text);
    } else {
      Files.writeString(tmp, text);
    }
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}
