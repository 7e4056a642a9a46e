package io.cnai.installer.cluster.testkit;

import io.cnai.core.CnaiException;
import io.cnai.installer.cluster.Cluster;
import io.cnai.installer.cluster.ClusterRequest;
import io.cnai.installer.cluster.ClusterSummary;
import io.cnai.installer.cluster.GpuProduct;
import io.cnai.installer.cluster.NodeTopology;
import io.cnai.installer.cluster.sim.SimBinaries;
import io.cnai.installer.cluster.sim.SimCluster;
import io.cnai.installer.cluster.sim.SimComponent;
import io.cnai.installer.cluster.sim.SimLayout;
import io.cnai.installer.cluster.sim.SimProvider;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives test classes a real sim cluster: one per test run (JVM), shared by every class through the
 * root store, deleted when the run ends; a fresh namespace per test.
 *
 * <p>When the sim binaries are missing the tests are skipped ("not run") with the reason, never
 * passed. When the cluster fails to start, or one of its processes has died before a test, the
 * tests fail with the tail of the failing process's log.
 *
 * <p>Clusters of earlier runs whose JVM is gone (killed runs) are deleted before a new one starts.
 */
public final class SimClusterExtension
    implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {
  static final ExtensionContext.Namespace STORE =
      ExtensionContext.Namespace.create(SimClusterExtension.class);
  static final String PREFIX = "junit-";
  static final String OWNER = "owner.pid";
  static final Duration NAMESPACE_READY = Duration.ofSeconds(60);
  static final Duration CONTROLLER_GRACE = Duration.ofSeconds(30);

  @Override
  public void beforeAll(ExtensionContext context) {
    // Skipping happens per test (beforeEach), so that every test shows up as skipped with the
    // reason; a class-level skip would report no tests at all.
    if (SimBinaries.fromEnvironment().present()) {
      shared(context).get();
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    SimBinaries binaries = SimBinaries.fromEnvironment();
    Assumptions.assumeTrue(
        binaries.present(),
        () ->
            "not run: sim binaries missing; run installer/tools/build-sim.sh (missing: "
                + binaries.missing()
                + ")");
    Shared shared = shared(context).get();
    shared.requireHealthy();
    String ns = namespaceName(context);
    KubernetesClient admin = shared.admin();
    admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns)
        .addToLabels("cnai.io/test", "true").endMetadata().build()).create();
    // Pods are refused until the namespace has its default service account.
    defaultServiceAccount(shared, ns);
    context.getStore(STORE).put(TestNamespace.class, new TestNamespace(ns));
  }

  /**
   * Waits for the controller-manager to make the namespace's default service account. On a loaded
   * machine its service-account controller has once taken over 60 s (a CI run failed there, before
   * the test began): after {@link #CONTROLLER_GRACE} the harness creates the same object itself, as
   * the controller would (an empty ServiceAccount named default), and prints the controller-manager's
   * state, so that a slow controller is reported and the test still tests what it is about. Only a
   * part that has died fails the test ({@link Shared#requireHealthy}).
   */
  private static void defaultServiceAccount(Shared shared, String ns) {
    KubernetesClient admin = shared.admin();
    try {
      admin.serviceAccounts().inNamespace(ns).withName("default")
          .waitUntilCondition(Objects::nonNull, CONTROLLER_GRACE.toSeconds(), TimeUnit.SECONDS);
      return;
    } catch (KubernetesClientTimeoutException e) {
      System.err.println("[sim] no default ServiceAccount in " + ns + " after " + CONTROLLER_GRACE.toSeconds()
          + " s; the controller-manager is " + (shared.cluster().health().getOrDefault(SimComponent.CONTROLLER_MANAGER, false)
              ? "running" : "NOT running") + "; creating it as the controller would. Its last lines:\n"
          + shared.cluster().logTail(SimComponent.CONTROLLER_MANAGER, 20));
    }
    shared.requireHealthy();
    try {
      admin.serviceAccounts().inNamespace(ns).resource(new ServiceAccountBuilder().withNewMetadata()
          .withName("default").withNamespace(ns).endMetadata().build()).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
    admin.serviceAccounts().inNamespace(ns).withName("default")
        .waitUntilCondition(Objects::nonNull, NAMESPACE_READY.toSeconds(), TimeUnit.SECONDS);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (context.getExecutionException().filter(e -> !(e instanceof org.opentest4j.TestAbortedException)).isPresent()) {
      // A failed test may have been caused by a crashed part: say so next to the failure (a test
      // not run, e.g. for missing binaries, has no cluster to ask).
      Shared shared = shared(context).get();
      shared.cluster().health().forEach((c, up) -> {
        if (!up) {
          System.err.println("[sim] " + c.id() + " is not running; last lines of "
              + shared.cluster().layout().log(c) + ":\n" + shared.cluster().logTail(c, 30));
        }
      });
    }
    TestNamespace ns = context.getStore(STORE).remove(TestNamespace.class, TestNamespace.class);
    KubernetesClient client = context.getStore(STORE).remove(KubernetesClient.class, KubernetesClient.class);
    if (client != null) {
      client.close();
    }
    if (ns != null) {
      shared(context).get().admin().namespaces().withName(ns.name()).delete();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
    Class<?> t = p.getParameter().getType();
    return t == SimCluster.class || t == Cluster.class || t == KubernetesClient.class || t == TestNamespace.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext e) {
    Class<?> t = p.getParameter().getType();
    Shared shared = shared(e).get();
    if (t == SimCluster.class) {
      return shared.cluster();
    }
    if (t == Cluster.class) {
      return shared.cluster().cluster();
    }
    if (t == KubernetesClient.class) {
      return e.getStore(STORE).getOrComputeIfAbsent(
          KubernetesClient.class, k -> SimProvider.client(shared.cluster().cluster()), KubernetesClient.class);
    }
    if (t == TestNamespace.class) {
      TestNamespace ns = e.getStore(STORE).get(TestNamespace.class, TestNamespace.class);
      if (ns == null) {
        throw new ParameterResolutionException("TestNamespace is only available to test methods");
      }
      return ns;
    }
    throw new ParameterResolutionException("cannot resolve " + t);
  }

  private static Holder shared(ExtensionContext context) {
    return context.getRoot().getStore(STORE).getOrComputeIfAbsent(Holder.class, k -> Holder.start(), Holder.class);
  }

  static String namespaceName(ExtensionContext context) {
    String base = context.getRequiredTestMethod().getName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    if (base.length() > 40) {
      base = base.substring(0, 40);
    }
    base = base.replaceAll("^-+|-+$", "");
    return "t-" + base + "-" + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36 * 36), 36);
  }

  /** The shared cluster, or why it could not start (so that the run does not retry per class). */
  static final class Holder implements AutoCloseable {
    private final Shared shared;
    private final RuntimeException failure;

    private Holder(Shared shared, RuntimeException failure) {
      this.shared = shared;
      this.failure = failure;
    }

    static Holder start() {
      try {
        return new Holder(Shared.start(), null);
      } catch (RuntimeException e) {
        return new Holder(null, e);
      }
    }

    Shared get() {
      if (failure != null) {
        throw failure;
      }
      return shared;
    }

    @Override
    public void close() {
      if (shared != null) {
        shared.close();
      }
    }
  }

  /** One running sim cluster and an admin client for it. */
  record Shared(SimProvider provider, SimCluster cluster, KubernetesClient admin) implements AutoCloseable {
    static Shared start() {
      SimProvider provider = SimProvider.fromEnvironment();
      removeAbandoned(provider);
      String name = PREFIX + ProcessHandle.current().pid();
      NodeTopology nodes = new NodeTopology(4, 2, 8, GpuProduct.of(GpuProduct.DEFAULT));
      Instant t0 = Clock.systemUTC().instant();
      SimCluster cluster =
          provider.start(ClusterRequest.of(name, nodes), Map.of(OWNER, Long.toString(ProcessHandle.current().pid())));
      System.out.println(
          "[sim] cluster " + name + " ready in " + Duration.between(t0, Clock.systemUTC().instant()).toMillis()
              + " ms; KUBECONFIG=" + cluster.cluster().kubeconfig());
      return new Shared(provider, cluster, SimProvider.client(cluster.cluster()));
    }

    /** Fails the test with the log tail of any part that is not running. */
    void requireHealthy() {
      for (Map.Entry<SimComponent, Boolean> e : cluster.health().entrySet()) {
        if (!e.getValue()) {
          throw CnaiException.failure(
              e.getKey().id() + " of the shared sim cluster is not running; last lines of its log:\n"
                  + cluster.logTail(e.getKey(), 30),
              "see " + cluster.layout().log(e.getKey()));
        }
      }
    }

    @Override
    public void close() {
      try {
        admin.close();
      } finally {
        provider.delete(cluster.name());
      }
    }

    private static void removeAbandoned(SimProvider provider) {
      for (ClusterSummary s : provider.list()) {
        if (!s.name().startsWith(PREFIX)) {
          continue;
        }
        SimLayout layout = provider.open(s.name()).map(SimCluster::layout).orElse(null);
        if (layout == null) {
          continue;
        }
        String owner = SimProvider.properties(layout).getProperty(OWNER, "");
        boolean ownerAlive = !owner.isBlank() && ProcessHandle.of(Long.parseLong(owner)).map(ProcessHandle::isAlive).orElse(false);
        if (!ownerAlive) {
          provider.delete(s.name());
        }
      }
    }
  }
}
