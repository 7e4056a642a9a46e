package io.cnai.installer.cluster.sim;

import java.util.Base64;

/** Writes kubeconfig files with embedded certificates. */
final class Kubeconfigs {
  /** The first line of every kubeconfig cnai writes; delete only removes files that carry it. */
  static String marker(String cluster) {
    return "# written by cnai for sim cluster " + cluster;
  }

  private Kubeconfigs() {}

  static String contextName(String cluster) {
    return "cnai-" + cluster;
  }

  static String render(
      String cluster, String server, String caPem, String user, String certPem, String keyPem) {
    String ctx = contextName(cluster);
    return marker(cluster)
        + "\napiVersion: v1\nkind: Config\nclusters:\n- name: " + ctx
        + "\n  cluster:\n    server: " + server
        + "\n    certificate-authority-data: " + b64(caPem)
        + "\nusers:\n- name: " + ctx + "-" + user
        + "\n  user:\n    client-certificate-data: " + b64(certPem)
        + "\n    client-key-data: " + b64(keyPem)
        + "\ncontexts:\n- name: " + ctx
        + "\n  context:\n    cluster: " + ctx + "\n    user: " + ctx + "-" + user
        + "\ncurrent-context: " + ctx + "\n";
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
