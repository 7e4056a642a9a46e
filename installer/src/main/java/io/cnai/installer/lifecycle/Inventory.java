package io.cnai.installer.lifecycle;

import io.cnai.installer.kube.Applier;
import io.cnai.installer.kube.ObjectRef;
import io.cnai.revision.StackRevision;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What cnai applied for each component: a ConfigMap {@code cnai.inventory.<component>} in
 * {@value StackRevision#NAMESPACE} listing its objects (CRDs included). Written before objects are
 * applied (the union of old and new) and after pruning (the new set), so an interrupted command
 * never loses track of an object.
 */
public final class Inventory {
  public static final String PREFIX = "cnai.inventory.";
  private final KubernetesClient client;

  public Inventory(KubernetesClient client) {
    this.client = client;
  }

  public Set<ObjectRef> read(String component) {
    ConfigMap cm = client.configMaps().inNamespace(StackRevision.NAMESPACE).withName(PREFIX + component).get();
    Set<ObjectRef> out = new LinkedHashSet<>();
    if (cm != null && cm.getData() != null && cm.getData().get("objects") != null) {
      for (String line : cm.getData().get("objects").split("\n")) {
        if (!line.isBlank()) {
          out.add(ObjectRef.parse(line));
        }
      }
    }
    return out;
  }

  /** Components with an inventory. */
  public List<String> components() {
    List<String> out = new ArrayList<>();
    for (ConfigMap cm : client.configMaps().inNamespace(StackRevision.NAMESPACE)
        .withLabel(StackRevision.OWNER_LABEL, StackRevision.OWNER).list().getItems()) {
      if (cm.getMetadata().getName().startsWith(PREFIX)) {
        out.add(cm.getMetadata().getName().substring(PREFIX.length()));
      }
    }
    return out;
  }

  public void write(String component, Collection<ObjectRef> refs) {
    new Applier(client).ensureNamespace(StackRevision.NAMESPACE);
    StringBuilder b = new StringBuilder();
    for (ObjectRef r : refs) {
      b.append(r.line()).append('\n');
    }
    ConfigMap cm = new ConfigMapBuilder()
        .withNewMetadata()
        .withName(PREFIX + component)
        .withNamespace(StackRevision.NAMESPACE)
        .addToLabels(StackRevision.OWNER_LABEL, StackRevision.OWNER)
        .addToLabels(Applier.COMPONENT_LABEL, component)
        .endMetadata()
        .addToData("objects", b.toString())
        .build();
    client.configMaps().inNamespace(StackRevision.NAMESPACE).resource(cm)
        .fieldManager(Applier.FIELD_MANAGER).forceConflicts().serverSideApply();
  }

  public void delete(String component) {
    client.configMaps().inNamespace(StackRevision.NAMESPACE).withName(PREFIX + component).delete();
  }
}
