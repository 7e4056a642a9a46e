package io.cnai.installer.cluster.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnai.installer.cluster.testkit.SimClusterTest;
import io.cnai.installer.cluster.testkit.TestNamespace;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A sim cluster has a default StorageClass named as kind's ("standard") whose claims really bind:
 * kube-controller-manager provisions a host-path PersistentVolume and removes it with the claim.
 */
@SimClusterTest
class StorageSimTest {
  @Test
  void claimWithoutClassBindsToStandardAndIsCleanedUp(KubernetesClient client, TestNamespace ns) throws Exception {
    StorageClass sc = client.storage().v1().storageClasses().withName("standard").get();
    assertThat(sc).isNotNull();
    assertThat(sc.getMetadata().getAnnotations()).containsEntry("storageclass.kubernetes.io/is-default-class", "true");

    // no storageClassName: the DefaultStorageClass admission plugin fills in "standard"
    PersistentVolumeClaim claim =
        new PersistentVolumeClaimBuilder()
            .withNewMetadata().withName("data").endMetadata()
            .withNewSpec()
            .withAccessModes("ReadWriteOnce")
            .withNewResources().addToRequests("storage", new Quantity("1Gi")).endResources()
            .endSpec()
            .build();
    client.persistentVolumeClaims().inNamespace(ns.name()).resource(claim).create();
    PersistentVolumeClaim bound =
        client.persistentVolumeClaims().inNamespace(ns.name()).withName("data")
            .waitUntilCondition(c -> c != null && c.getStatus() != null && "Bound".equals(c.getStatus().getPhase()), 60, TimeUnit.SECONDS);
    assertThat(bound.getSpec().getStorageClassName()).isEqualTo("standard");
    String pvName = bound.getSpec().getVolumeName();
    PersistentVolume pv = client.persistentVolumes().withName(pvName).get();
    assertThat(pv.getSpec().getCapacity().get("storage")).isEqualTo(new Quantity("1Gi"));
    assertThat(pv.getSpec().getClaimRef().getName()).isEqualTo("data");
    Path dir = Path.of(pv.getSpec().getHostPath().getPath());
    assertThat(dir).isDirectory();

    // reclaim policy Delete: the claim goes, the volume and its directory go too
    client.persistentVolumeClaims().inNamespace(ns.name()).withName("data").delete();
    client.persistentVolumes().withName(pvName).waitUntilCondition(java.util.Objects::isNull, 60, TimeUnit.SECONDS);
    assertThat(Files.exists(dir)).isFalse();
  }
}
