package io.cnai.installer.lifecycle;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cnai.core.CnaiException;
import io.cnai.installer.kube.Applier;
import io.cnai.revision.RevisionCodec;
import io.cnai.revision.StackRevision;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Stack revisions as Secrets in {@value StackRevision#NAMESPACE}, by the convention of {@link
 * StackRevision}; each also holds, under {@value #SPECS_KEY}, the {@link ComponentSpec}s that were
 * applied (what rollback re-applies).
 */
public final class RevisionStore {
  public static final String SPECS_KEY = "components.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final KubernetesClient client;

  public RevisionStore(KubernetesClient client) {
    this.client = client;
  }

  /** A stored revision with its specs. */
  public record Stored(StackRevision revision, List<ComponentSpec> specs) {}

  /** Every revision, oldest first. */
  public List<Stored> list() {
    List<Stored> out = new ArrayList<>();
    try {
      for (Secret s : client.secrets().inNamespace(StackRevision.NAMESPACE)
          .withLabel(StackRevision.OWNER_LABEL, StackRevision.OWNER).list().getItems()) {
        if (!StackRevision.SECRET_TYPE.equals(s.getType())) {
          continue;
        }
        out.add(read(s));
      }
    } catch (KubernetesClientException e) {
      throw CnaiException.failure("cannot read the stack revisions in namespace " + StackRevision.NAMESPACE + ": " + e.getMessage(),
          "check that the cluster is reachable and that you may read Secrets there");
    }
    out.sort(Comparator.comparingInt(s -> s.revision().revision()));
    return out;
  }

  private static Stored read(Secret s) {
    Map<String, String> data = s.getData() == null ? Map.of() : s.getData();
    String where = StackRevision.NAMESPACE + "/" + s.getMetadata().getName();
    StackRevision r = RevisionCodec.fromJson(decode(data.get(StackRevision.DATA_KEY)), where);
    List<ComponentSpec> specs = List.of();
    if (data.containsKey(SPECS_KEY)) {
      try {
        specs = JSON.readValue(decode(data.get(SPECS_KEY)), new TypeReference<List<ComponentSpec>>() {});
      } catch (Exception e) {
        throw CnaiException.failure("stack revision " + where + " has unreadable component specs: " + e.getMessage(),
            "it was written by another cnai version or edited by hand");
      }
    }
    return new Stored(r, specs);
  }

  private static String decode(String b64) {
    return b64 == null ? "" : new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
  }

  /** The newest revision with status DEPLOYED, or null. */
  public Stored lastDeployed() {
    Stored last = null;
    for (Stored s : list()) {
      if (s.revision().status() == StackRevision.Status.DEPLOYED) {
        last = s;
      }
    }
    return last;
  }

  public int nextNumber() {
    return list().stream().mapToInt(s -> s.revision().revision()).max().orElse(0) + 1;
  }

  /** Writes a new revision (fails if the number is taken: another cnai is at work). */
  public void create(StackRevision r, List<ComponentSpec> specs) {
    new Applier(client).ensureNamespace(StackRevision.NAMESPACE);
    try {
      client.secrets().inNamespace(StackRevision.NAMESPACE).resource(secret(r, specs)).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        throw CnaiException.failure("stack revision " + r.revision() + " was written by someone else meanwhile",
            "another cnai command is working on this cluster; wait for it, then run 'cnai history' and try again");
      }
      throw CnaiException.failure("cannot write stack revision " + r.revision() + ": " + e.getMessage(), "check the cluster");
    }
  }

  /** Replaces a revision (its status or final component states). */
  public void update(StackRevision r, List<ComponentSpec> specs) {
    client.secrets().inNamespace(StackRevision.NAMESPACE).resource(secret(r, specs)).createOr(op -> op.update());
  }

  public void delete(int revision) {
    client.secrets().inNamespace(StackRevision.NAMESPACE).withName(StackRevision.secretName(revision)).delete();
  }

  private static Secret secret(StackRevision r, List<ComponentSpec> specs) {
    String specJson;
    try {
      specJson = JSON.writeValueAsString(specs);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return new SecretBuilder()
        .withNewMetadata()
        .withName(StackRevision.secretName(r.revision()))
        .withNamespace(StackRevision.NAMESPACE)
        .addToLabels(StackRevision.OWNER_LABEL, StackRevision.OWNER)
        .addToLabels(StackRevision.REVISION_LABEL, Integer.toString(r.revision()))
        .addToLabels(StackRevision.STATUS_LABEL, r.status().name().toLowerCase(java.util.Locale.ROOT))
        .addToLabels(Applier.MANAGED_BY_LABEL, "cnai")
        .endMetadata()
        .withType(StackRevision.SECRET_TYPE)
        .addToStringData(StackRevision.DATA_KEY, RevisionCodec.toJson(r))
        .addToStringData(SPECS_KEY, specJson)
        .build();
  }
}
