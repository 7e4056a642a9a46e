package io.cnai.installer.kube;

import io.cnai.core.CnaiException;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Optional;

/**
 * A Kubernetes client failure that escaped as itself (not as a {@link CnaiException}), said as
 * cnai says failures: the API server could not be reached, or refused a request cnai does not
 * expect to fail. The CLI reports it without knowing the client library.
 */
public final class ClientFailures {
  private ClientFailures() {}

  /** The failure as a CnaiException (exit 1), when a client exception is in the cause chain. */
  public static Optional<CnaiException> explain(Throwable t) {
    KubernetesClientException kube = null;
    for (Throwable c = t; c != null && kube == null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof KubernetesClientException k) {
        kube = k;
      }
    }
    if (kube == null) {
      return Optional.empty();
    }
    boolean unreachable = kube.getCode() <= 0;
    return Optional.of(CnaiException.failure(
        (unreachable ? "cannot reach the Kubernetes API server" : "the Kubernetes API server answered " + kube.getCode())
            + ": " + rootMessage(kube).lines().findFirst().orElse(""),
        unreachable
            ? "check that the cluster runs and that --kubeconfig and --context point at it ('kubectl --kubeconfig K cluster-info')"
            : "check your RBAC and the API server; run again with -v for the stack trace",
        t));
  }

  private static String rootMessage(Throwable t) {
    String msg = String.valueOf(t.getMessage());
    for (Throwable c = t.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      if (c.getMessage() != null) {
        return msg + " (" + c.getMessage() + ")";
      }
    }
    return msg;
  }
}
