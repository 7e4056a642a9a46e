package io.cnai.conformance;

import io.cnai.revision.RevisionCodec;
import io.cnai.revision.StackRevision;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Reads the stack revisions cnai keeps in the cluster (see {@link StackRevision}). */
public final class StackRevisions {
  private StackRevisions() {}

  /** The newest revision whose status is DEPLOYED, or empty when there is none. */
  public static Optional<StackRevision> lastDeployed(KubernetesClient client) {
    // no namespace, no revision: asked first so that a runner allowed to read Secrets only where
    // they can be (the in-cluster run's Role in cnai-system) gets the same answer as an administrator
    if (client.namespaces().withName(StackRevision.NAMESPACE).get() == null) {
      return Optional.empty();
    }
    List<Secret> secrets =
        client.secrets().inNamespace(StackRevision.NAMESPACE)
            .withLabel(StackRevision.OWNER_LABEL, StackRevision.OWNER).list().getItems();
    return lastDeployed(secrets);
  }

  static Optional<StackRevision> lastDeployed(List<Secret> secrets) {
    return secrets.stream()
        .filter(s -> StackRevision.SECRET_TYPE.equals(s.getType()))
        .filter(s -> s.getData() != null && s.getData().containsKey(StackRevision.DATA_KEY))
        .map(s -> RevisionCodec.fromJson(
            new String(Base64.getDecoder().decode(s.getData().get(StackRevision.DATA_KEY)), StandardCharsets.UTF_8),
            StackRevision.NAMESPACE + "/" + s.getMetadata().getName()))
        .filter(r -> r.status() == StackRevision.Status.DEPLOYED)
        .max(Comparator.comparingInt(StackRevision::revision));
  }
}
