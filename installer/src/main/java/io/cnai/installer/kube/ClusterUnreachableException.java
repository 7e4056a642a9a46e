package io.cnai.installer.kube;

import io.cnai.core.CnaiException;
import io.cnai.core.ErrorKind;

/**
 * A call failed because the API server could not be reached at that moment (see {@link
 * Transient}): the step may be run again once the server is back.
 */
public final class ClusterUnreachableException extends CnaiException {
  public ClusterUnreachableException(String problem, String hint, Throwable cause) {
    super(ErrorKind.FAILURE, null, problem, hint, cause);
  }
}
