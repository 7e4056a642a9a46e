package io.cnai.installer.kube;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.EOFException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.http.HttpTimeoutException;
import javax.net.ssl.SSLException;

/**
 * Whether a failure means the API server could not be reached for a moment (restarted, overloaded,
 * a dropped connection), so that the same idempotent step may run again: decided by the types of
 * the exceptions in the cause chain and the HTTP status, never by message text.
 */
public final class Transient {
  private Transient() {}

  /** HTTP statuses of a server that is there but cannot answer now. */
  private static boolean transientStatus(int code) {
    return code == 429 || code == 502 || code == 503 || code == 504;
  }

  /**
   * Whether {@code t}'s class is, or extends, the named class: the HTTP library under the client
   * (its transport failures, e.g. a closed connection) is a runtime dependency only.
   */
  private static boolean isA(Throwable t, String className) {
    for (Class<?> c = t.getClass(); c != null; c = c.getSuperclass()) {
      if (c.getName().equals(className)) {
        return true;
      }
    }
    return false;
  }

  public static boolean is(Throwable failure) {
    int depth = 0;
    for (Throwable t = failure; t != null && depth < 20; t = t.getCause(), depth++) {
      if (t instanceof ClusterUnreachableException) {
        return true;
      }
      if (t instanceof KubernetesClientException k && transientStatus(k.getCode())) {
        return true;
      }
      if (t instanceof ConnectException || t instanceof EOFException || t instanceof SocketException
          || t instanceof InterruptedIOException || t instanceof HttpTimeoutException || t instanceof SSLException
          || isA(t, "io.vertx.core.VertxException")) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}
