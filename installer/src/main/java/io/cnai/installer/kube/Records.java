package io.cnai.installer.kube;

import io.cnai.core.CnaiException;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Small labelled text records kept in one namespace of the cluster, as Secrets or ConfigMaps: how
 * cnai stores its stack revisions and inventories without anything outside {@code kube/} calling
 * the Kubernetes client.
 */
public final class Records {
  /** Where records are kept. */
  public enum Kind { SECRET, CONFIG_MAP }

  /** One record: name, labels, type (Secrets only; null otherwise) and text data. */
  public record Record(String name, Map<String, String> labels, String type, Map<String, String> data) {
    public Record {
      labels = Map.copyOf(labels);
      data = Map.copyOf(data);
    }
  }

  private final KubernetesClient client;
  private final Kind kind;
  private final String namespace;

  public Records(KubernetesClient client, Kind kind, String namespace) {
    this.client = client;
    this.kind = kind;
    this.namespace = namespace;
  }

  /** Records with these labels. */
  public List<Record> list(Map<String, String> labels) {
    List<Record> out = new ArrayList<>();
    try {
      if (kind == Kind.SECRET) {
        client.secrets().inNamespace(namespace).withLabels(labels).list().getItems().forEach(s -> out.add(of(s)));
      } else {
        client.configMaps().inNamespace(namespace).withLabels(labels).list().getItems().forEach(c -> out.add(of(c)));
      }
    } catch (KubernetesClientException e) {
      throw CnaiException.failure("cannot read the records in namespace " + namespace + ": " + e.getMessage(),
          "check that the cluster is reachable and that you may read " + (kind == Kind.SECRET ? "Secrets" : "ConfigMaps") + " there", e);
    }
    return out;
  }

  /** The record, or null. */
  public Record get(String name) {
    if (kind == Kind.SECRET) {
      Secret s = client.secrets().inNamespace(namespace).withName(name).get();
      return s == null ? null : of(s);
    }
    ConfigMap c = client.configMaps().inNamespace(namespace).withName(name).get();
    return c == null ? null : of(c);
  }

  /** Writes a new record; false when the name is taken (someone else wrote it meanwhile). */
  public boolean create(Record r) {
    new Applier(client).ensureNamespace(namespace);
    try {
      if (kind == Kind.SECRET) {
        client.secrets().inNamespace(namespace).resource(secret(r)).create();
      } else {
        client.configMaps().inNamespace(namespace).resource(configMap(r)).create();
      }
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        return false;
      }
      throw CnaiException.failure("cannot write " + r.name() + " in namespace " + namespace + ": " + e.getMessage(), "check the cluster", e);
    }
  }

  /** Creates or replaces the record. */
  public void put(Record r) {
    new Applier(client).ensureNamespace(namespace);
    if (kind == Kind.SECRET) {
      client.secrets().inNamespace(namespace).resource(secret(r)).createOr(op -> op.update());
    } else {
      client.configMaps().inNamespace(namespace).resource(configMap(r))
          .fieldManager(Applier.FIELD_MANAGER).forceConflicts().serverSideApply();
    }
  }

  public void delete(String name) {
    if (kind == Kind.SECRET) {
      client.secrets().inNamespace(namespace).withName(name).delete();
    } else {
      client.configMaps().inNamespace(namespace).withName(name).delete();
    }
  }

  private Secret secret(Record r) {
    return new SecretBuilder().withNewMetadata().withName(r.name()).withNamespace(namespace).addToLabels(r.labels()).endMetadata()
        .withType(r.type()).addToStringData(r.data()).build();
  }

  private ConfigMap configMap(Record r) {
    return new ConfigMapBuilder().withNewMetadata().withName(r.name()).withNamespace(namespace).addToLabels(r.labels()).endMetadata()
        .addToData(r.data()).build();
  }

  private static Record of(Secret s) {
    Map<String, String> data = new LinkedHashMap<>();
    if (s.getData() != null) {
      s.getData().forEach((k, v) -> data.put(k, v == null ? "" : new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    }
    return new Record(s.getMetadata().getName(), labels(s.getMetadata().getLabels()), s.getType(), data);
  }

  private static Record of(ConfigMap c) {
    return new Record(c.getMetadata().getName(), labels(c.getMetadata().getLabels()), null, c.getData() == null ? Map.of() : c.getData());
  }

  private static Map<String, String> labels(Map<String, String> l) {
    return l == null ? Map.of() : l;
  }
}
