package io.cnai.installer.kube;

import io.cnai.core.CnaiException;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Runs the conformance image as a Job, in a namespace of its own, under a service account that holds
 * only the given rules, and brings its reports back: the pod writes them, then a marker its
 * readiness probe looks for; cnai watches the pod until it is Ready (or fails), copies the report
 * folder out with {@code tar} (busybox's) through the API server, and deletes the namespace (Job,
 * pod, service account, ConfigMap, Roles in it), the ClusterRole and ClusterRoleBinding, and the
 * Roles it made in other namespaces: after success, failure, and on Ctrl-C (a shutdown hook).
 */
public final class ConformanceJob {
  /** Label on everything a run makes, valued with the run's name: how a leftover is found. */
  public static final String LABEL = io.cnai.conformance.ScenarioWorld.RUNNER_LABEL;
  public static final String OUT = "/cnai/out";
  public static final String INPUT = "/cnai/input";
  static final String CONTAINER = "runner";
  static final String SERVICE_ACCOUNT = "cnai-conformance";

  /**
   * What to run.
   *
   * @param image the image as the nodes pull it (a digest reference)
   * @param args the container's arguments
   * @param inputs files for {@value #INPUT} (name to content), in a ConfigMap
   * @param clusterRules the ClusterRole's rules
   * @param namespacedRules rules granted by a Role in each of {@code ruleNamespaces} that exists
   * @param ruleNamespaces where {@code namespacedRules} apply
   * @param timeout how long the suite may take, from the pod's start
   */
  public record Spec(String image, List<String> args, Map<String, byte[]> inputs, List<PolicyRule> clusterRules,
      List<PolicyRule> namespacedRules, List<String> ruleNamespaces, Duration timeout) {}

  /**
   * What came back.
   *
   * @param exitCode the run's exit code, as the pod wrote it
   * @param summary what the run printed
   * @param name the run's name (its namespace, ClusterRole, ClusterRoleBinding)
   * @param podMillis from creating the Job to the reports being ready
   * @param copyMillis copying the reports out
   */
  public record Outcome(int exitCode, String summary, String name, long podMillis, long copyMillis) {}

  private final ClusterAccess access;
  private final Consumer<String> progress;

  public ConformanceJob(ClusterAccess access, Consumer<String> progress) {
    this.access = access;
    this.progress = progress;
  }

  /** Runs the Job, copies the reports into {@code outputDir} (replacing what they replace), and cleans up. */
  public Outcome run(Spec spec, Path outputDir) {
    String name = "cnai-conformance-" + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36 * 36 * 36), 36);
    List<String> roleNamespaces = new ArrayList<>();
    Thread hook = new Thread(() -> cleanup(name, roleNamespaces, false), "cnai-conformance-cleanup");
    try (KubernetesClient client = access.open()) {
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        long t0 = System.nanoTime();
        apply(client, name, spec, roleNamespaces);
        progress.accept("Job " + name + "/" + name + " created; image " + spec.image());
        Pod pod = await(client, name, spec.timeout());
        long t1 = System.nanoTime();
        progress.accept("reports ready in pod " + pod.getMetadata().getName() + " after " + ms(t0, t1) + " ms; copying them out");
        copyOut(client, name, pod.getMetadata().getName(), outputDir);
        long t2 = System.nanoTime();
        String summary = readString(outputDir.resolve(io.cnai.conformance.InCluster.SUMMARY));
        String code = readString(outputDir.resolve(io.cnai.conformance.InCluster.EXIT_CODE)).strip();
        return new Outcome(Integer.parseInt(code.isEmpty() ? "1" : code), summary, name, ms(t0, t1), ms(t1, t2));
      } finally {
        cleanup(name, roleNamespaces, true);
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
          // shutting down: the hook runs (and finds nothing left)
        }
      }
    }
  }

  private void apply(KubernetesClient client, String name, Spec spec, List<String> roleNamespaces) {
    Map<String, String> labels = Map.of(LABEL, name, "app.kubernetes.io/managed-by", "cnai");
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
        .build()).create();
    client.serviceAccounts().inNamespace(name).resource(new ServiceAccountBuilder().withNewMetadata().withName(SERVICE_ACCOUNT)
        .withNamespace(name).withLabels(labels).endMetadata().build()).create();
    client.rbac().clusterRoles().resource(new ClusterRoleBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
        .withRules(spec.clusterRules()).build()).create();
    client.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder().withNewMetadata().withName(name)
        .withLabels(labels).endMetadata()
        .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName(name).endRoleRef()
        .addNewSubject().withKind("ServiceAccount").withName(SERVICE_ACCOUNT).withNamespace(name).endSubject().build()).create();
    for (String ns : spec.ruleNamespaces()) {
      if (client.namespaces().withName(ns).get() == null) {
        continue;
      }
      roleNamespaces.add(ns);
      client.rbac().roles().inNamespace(ns).resource(new RoleBuilder().withNewMetadata().withName(name).withNamespace(ns)
          .withLabels(labels).endMetadata().withRules(spec.namespacedRules()).build()).create();
      client.rbac().roleBindings().inNamespace(ns).resource(new RoleBindingBuilder().withNewMetadata().withName(name)
          .withNamespace(ns).withLabels(labels).endMetadata()
          .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName(name).endRoleRef()
          .addNewSubject().withKind("ServiceAccount").withName(SERVICE_ACCOUNT).withNamespace(name).endSubject().build()).create();
    }
    Map<String, String> binary = new LinkedHashMap<>();
    spec.inputs().forEach((k, v) -> binary.put(k, Base64.getEncoder().encodeToString(v)));
    client.configMaps().inNamespace(name).resource(new ConfigMapBuilder().withNewMetadata().withName("inputs").withNamespace(name)
        .withLabels(labels).endMetadata().withBinaryData(binary).build()).create();
    long deadline = spec.timeout().toSeconds() + 600;
    Job job = new JobBuilder().withNewMetadata().withName(name).withNamespace(name).withLabels(labels).endMetadata()
        .withNewSpec().withBackoffLimit(0).withActiveDeadlineSeconds(deadline).withTtlSecondsAfterFinished(600)
        .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata()
        .withNewSpec().withRestartPolicy("Never").withServiceAccountName(SERVICE_ACCOUNT).withTerminationGracePeriodSeconds(1L)
        .withNewSecurityContext().withFsGroup(65534L).endSecurityContext()
        .addNewContainer().withName(CONTAINER).withImage(spec.image()).withImagePullPolicy("IfNotPresent").withArgs(spec.args())
        .addNewEnv().withName(io.cnai.conformance.ScenarioWorld.RUNNER_ENV).withValue(name).endEnv()
        // what Pod Security's "restricted" level asks: not root, no escalation, no capabilities
        .withNewSecurityContext().withRunAsNonRoot(true).withRunAsUser(65534L).withRunAsGroup(65534L)
        .withAllowPrivilegeEscalation(false).withReadOnlyRootFilesystem(true)
        .withNewCapabilities().withDrop("ALL").endCapabilities()
        .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile().endSecurityContext()
        .addNewVolumeMount().withName("input").withMountPath(INPUT).withReadOnly(true).endVolumeMount()
        .addNewVolumeMount().withName("out").withMountPath(OUT).endVolumeMount()
        .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
        .withNewReadinessProbe().withNewExec().withCommand("/bin/test", "-f", OUT + "/" + io.cnai.conformance.InCluster.DONE).endExec()
        .withPeriodSeconds(1).withFailureThreshold(1).endReadinessProbe()
        .endContainer()
        .addNewVolume().withName("input").withNewConfigMap().withName("inputs").endConfigMap().endVolume()
        .addNewVolume().withName("out").withNewEmptyDir().endEmptyDir().endVolume()
        .addNewVolume().withName("tmp").withNewEmptyDir().endEmptyDir().endVolume()
        .endSpec().endTemplate().endSpec().build();
    client.batch().v1().jobs().inNamespace(name).resource(job).create();
  }

  /** Watches the Job's pod until its reports are ready (Ready), or it cannot get there. */
  private Pod await(KubernetesClient client, String ns, Duration timeout) {
    try {
      List<Pod> pods = client.pods().inNamespace(ns).withLabel("job-name", ns)
          .informOnCondition(l -> l.stream().anyMatch(p -> ready(p) || problem(p).isPresent()))
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      Pod p = pods.stream().filter(x -> ready(x) || problem(x).isPresent()).findFirst().orElseThrow();
      Optional<String> problem = ready(p) ? Optional.empty() : problem(p);
      if (problem.isPresent()) {
        String log = log(client, ns, p.getMetadata().getName());
        throw CnaiException.failure("the conformance pod " + ns + "/" + p.getMetadata().getName() + " " + problem.get()
                + (log.isBlank() ? "" : "; its log ends:\n" + log),
            problem.get().contains("pull")
                ? "the nodes cannot pull the image: pass --registry with the registry the nodes pull from "
                    + "(cnai cluster create --local-registry or --registry-mirror) and --image as they name it"
                : "run again with -v; the log above says what went wrong");
      }
      return p;
    } catch (TimeoutException e) {
      throw CnaiException.failure("the conformance Job " + ns + " did not finish within " + timeout.toSeconds() + " s; its log ends:\n"
          + lastLog(client, ns), "pass a longer --timeout, or narrow the run with --tags");
    } catch (ExecutionException e) {
      throw CnaiException.failure("watching the conformance pod failed: " + e.getCause(), "check the API server", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CnaiException.failure("interrupted while the conformance Job ran", null, e);
    }
  }

  static boolean ready(Pod p) {
    return p.getStatus() != null && p.getStatus().getConditions() != null && p.getStatus().getConditions().stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** Why the pod will not get Ready: its image cannot be pulled, it cannot start, or it ended. */
  static Optional<String> problem(Pod p) {
    if (p.getStatus() == null) {
      return Optional.empty();
    }
    if ("Failed".equals(p.getStatus().getPhase()) || "Succeeded".equals(p.getStatus().getPhase())) {
      return Optional.of("ended (" + p.getStatus().getPhase() + ") before its reports were ready"
          + terminated(p).map(t -> ": " + t).orElse(""));
    }
    for (ContainerStatus c : Optional.ofNullable(p.getStatus().getContainerStatuses()).orElse(List.of())) {
      if (c.getState() != null && c.getState().getWaiting() != null) {
        String reason = String.valueOf(c.getState().getWaiting().getReason());
        if (List.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull").contains(reason)) {
          return Optional.of("cannot pull its image " + c.getImage() + " (" + reason + ": " + c.getState().getWaiting().getMessage() + ")");
        }
        if (List.of("CreateContainerError", "CreateContainerConfigError", "RunContainerError").contains(reason)) {
          return Optional.of("cannot start (" + reason + ": " + c.getState().getWaiting().getMessage() + ")");
        }
      }
      if (c.getState() != null && c.getState().getTerminated() != null) {
        return Optional.of("ended before its reports were ready" + terminated(p).map(t -> ": " + t).orElse(""));
      }
    }
    return Optional.empty();
  }

  private static Optional<String> terminated(Pod p) {
    return Optional.ofNullable(p.getStatus().getContainerStatuses()).orElse(List.of()).stream()
        .filter(c -> c.getState() != null && c.getState().getTerminated() != null)
        .map(c -> "exit code " + c.getState().getTerminated().getExitCode() + " (" + c.getState().getTerminated().getReason() + ")")
        .findFirst();
  }

  private static String log(KubernetesClient client, String ns, String pod) {
    try {
      String l = client.pods().inNamespace(ns).withName(pod).inContainer(CONTAINER).tailingLines(30).getLog();
      return l == null ? "" : l;
    } catch (KubernetesClientException e) {
      return "";
    }
  }

  private static String lastLog(KubernetesClient client, String ns) {
    return client.pods().inNamespace(ns).withLabel("job-name", ns).list().getItems().stream()
        .map(p -> log(client, ns, p.getMetadata().getName())).findFirst().orElse("(no pod)");
  }

  /** {@code tar -C OUT -cf - .} in the pod (busybox's tar), unpacked into {@code outputDir}. */
  private void copyOut(KubernetesClient client, String ns, String pod, Path outputDir) {
    try {
      Files.createDirectories(outputDir);
      Path evidence = outputDir.resolve("evidence");
      if (Files.isDirectory(evidence)) {
        try (var s = Files.list(evidence)) {
          for (Path p : s.toList()) {
            Files.deleteIfExists(p);
          }
        }
      }
      java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
      try (ExecWatch w = client.pods().inNamespace(ns).withName(pod).inContainer(CONTAINER)
          .redirectingOutput().writingError(err).exec("tar", "-C", OUT, "-cf", "-", ".")) {
        int files = untar(w.getOutput(), outputDir);
        Integer exit = w.exitCode().get(60, TimeUnit.SECONDS);
        if (exit == null || exit != 0 || files == 0) {
          throw CnaiException.failure("copying the reports out of pod " + ns + "/" + pod + " failed (tar exit " + exit + ", "
              + files + " files): " + err.toString(StandardCharsets.UTF_8).strip(), "run again; the pod's image has busybox tar");
        }
      }
      Files.deleteIfExists(outputDir.resolve(io.cnai.conformance.InCluster.DONE));
    } catch (IOException | ExecutionException | TimeoutException e) {
      throw CnaiException.failure("copying the reports out of pod " + ns + "/" + pod + " failed: " + e.getMessage(),
          "check that " + outputDir + " is writable and that you may exec into pods (pods/exec)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CnaiException.failure("interrupted while copying the reports", null, e);
    }
  }

  static int untar(InputStream in, Path into) throws IOException {
    int n = 0;
    Path root = into.toAbsolutePath().normalize();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        Path to = root.resolve(e.getName()).normalize();
        if (!to.startsWith(root)) {
          throw new IOException("the pod's tar holds a path outside the report folder: " + e.getName());
        }
        if (e.isDirectory()) {
          Files.createDirectories(to);
        } else if (e.isFile()) {
          Files.createDirectories(to.getParent());
          Files.copy(tar, to, StandardCopyOption.REPLACE_EXISTING);
          n++;
        }
      }
    }
    return n;
  }

  /**
   * Deletes what the run made: first its namespace (the pod stops), then the namespaces of a
   * scenario the pod did not finish (they carry the run's label), then the RBAC. On the normal
   * path it waits (briefly) for the namespace to be gone.
   */
  private void cleanup(String name, List<String> roleNamespaces, boolean wait) {
    try (KubernetesClient client = access.open()) {
      quietly(() -> client.namespaces().withName(name).delete());
      try {
        client.pods().inNamespace(name).withLabel("job-name", name)
            .informOnCondition(List::isEmpty).get(wait ? 60 : 15, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        progress.accept("the conformance pod in " + name + " is still stopping");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      for (var ns : client.namespaces().withLabel(LABEL, name).list().getItems()) {
        if (!ns.getMetadata().getName().equals(name)) {
          quietly(() -> client.namespaces().withName(ns.getMetadata().getName()).delete());
        }
      }
      quietly(() -> client.rbac().clusterRoleBindings().withName(name).delete());
      quietly(() -> client.rbac().clusterRoles().withName(name).delete());
      for (String ns : roleNamespaces) {
        quietly(() -> client.rbac().roleBindings().inNamespace(ns).withName(name).delete());
        quietly(() -> client.rbac().roles().inNamespace(ns).withName(name).delete());
      }
      if (wait) {
        try {
          client.namespaces().withName(name).waitUntilCondition(n -> n == null, 60, TimeUnit.SECONDS);
        } catch (KubernetesClientException e) {
          progress.accept("namespace " + name + " is still terminating; it goes away by itself");
        }
      }
    } catch (RuntimeException e) {
      progress.accept("could not remove the conformance runner " + name + " (namespace, ClusterRole and ClusterRoleBinding "
          + name + "): " + e.getMessage() + "; delete them with kubectl delete ns,clusterrole,clusterrolebinding -l " + LABEL + "=" + name);
    }
  }

  private static void quietly(Runnable r) {
    try {
      r.run();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  private static String readString(Path p) {
    try {
      return Files.isRegularFile(p) ? Files.readString(p) : "";
    } catch (IOException e) {
      return "";
    }
  }

  private static long ms(long from, long to) {
    return (to - from) / 1_000_000;
  }
}
