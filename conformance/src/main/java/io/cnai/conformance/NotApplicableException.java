package io.cnai.conformance;

import org.opentest4j.TestAbortedException;

/**
 * Thrown by a step when the requirement does not apply to this platform, as the checklist allows
 * (e.g. "if a cluster autoscaler is offered"). The message is the justification that goes into the
 * notes of PRODUCT.yaml; the scenario is reported NOT APPLICABLE, never passed.
 */
public final class NotApplicableException extends TestAbortedException {
  public NotApplicableException(String justification) {
    super(justification);
  }
}
