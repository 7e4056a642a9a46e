package io.cnai.installer.cluster.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class against the sim cluster of this test run (see {@link SimClusterExtension}).
 * Its tests can take {@link io.cnai.installer.cluster.sim.SimCluster}, {@link
 * io.fabric8.kubernetes.client.KubernetesClient} (admin, closed after the test) and {@link
 * TestNamespace} (fresh per test) as parameters. Tagged {@code sim}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(SimClusterExtension.class)
@Tag("sim")
public @interface SimClusterTest {}
