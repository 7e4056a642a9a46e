package io.cnai.installer.conformance;

import io.cnai.conformance.ConformanceRunner;
import io.cnai.conformance.InCluster;
import io.cnai.conformance.RunnerPermissions;
import io.cnai.conformance.StackRevisions;
import io.cnai.conformance.Submission;
import io.cnai.conformance.product.ProductFile;
import io.cnai.conformance.product.ProductInfo;
import io.cnai.conformance.product.VendorCheck;
import io.cnai.conformance.template.Template;
import io.cnai.core.CnaiException;
import io.cnai.installer.images.BuiltImage;
import io.cnai.installer.images.ImageBuilder;
import io.cnai.installer.images.ImageRef;
import io.cnai.installer.images.ImageSpec;
import io.cnai.installer.images.Registry;
import io.cnai.installer.kube.ClusterAccess;
import io.cnai.installer.kube.ConformanceJob;
import io.cnai.revision.StackRevision;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.VersionInfo;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * {@code cnai conformance run --in-cluster}: checks the input and reads the template and product
 * as the outside run does (nothing is applied before that), builds the conformance image
 * ({@link ConformanceImage}) and pushes it to the registry the nodes pull from, then runs it as a
 * Job with least-privilege RBAC ({@link RunnerPermissions}) and copies the reports back
 * ({@link ConformanceJob}).
 */
public final class InClusterConformance {
  /** Where the image goes unless {@code --image} says otherwise: the nodes' mirror answers for cnai.local. */
  public static final String DEFAULT_IMAGE = "cnai.local/cnai-conformance";

  /**
   * @param kubeconfig {@code --kubeconfig} (null: the default)
   * @param context {@code --context}
   * @param tags {@code --tags}
   * @param outputDir {@code --output-dir}
   * @param submission template, version, product file, vendor check
   * @param registry {@code --registry}: where to push (null: the local cluster's own registry, if the
   *     kubeconfig is a local cluster's)
   * @param image {@code --image}: the reference the nodes pull (null: {@link #DEFAULT_IMAGE})
   * @param releases the distribution lockfiles to put in the image (null: none)
   * @param timeout how long the suite may run in the cluster
   */
  public record Options(Path kubeconfig, String context, String tags, Path outputDir, Submission submission, String registry,
      String image, Path releases, Duration timeout) {}

  /**
   * The outcome.
   *
   * @param exitCode the in-cluster run's exit code
   * @param summary what it printed
   * @param image the image as the nodes pulled it
   * @param imageBytes its size (config and compressed layers)
   * @param buildMillis build and push
   * @param jobMillis Job created to reports ready
   * @param copyMillis reports copied out
   */
  public record Result(int exitCode, String summary, String image, long imageBytes, long buildMillis, long jobMillis, long copyMillis) {}

  private final ImageBuilder builder;
  private final ConformanceImage images;
  private final Consumer<String> progress;

  public InClusterConformance(ImageBuilder builder, ConformanceImage images, Consumer<String> progress) {
    this.builder = builder;
    this.images = images;
    this.progress = progress;
  }

  public Result run(Options o) {
    // everything the user gave is checked before anything is built, pushed or applied
    String tags = o.tags() == null ? "" : o.tags().strip();
    ConformanceRunner.checkTags(tags);
    ClusterAccess access = ClusterAccess.of(o.kubeconfig(), o.context());
    ImageRef name = o.image() == null || o.image().isBlank()
        ? ImageRef.parse(DEFAULT_IMAGE + ":" + version()) : ImageRef.parse(o.image());
    Registry registry = registry(o.registry(), access, name, io.cnai.installer.cluster.sim.SimProvider.home());
    Submission given = o.submission();
    Optional<ProductInfo> product = Optional.ofNullable(given.product()).map(ProductFile::load);
    Map<String, VendorCheck.Verdict> verdicts = new HashMap<>();
    Submission sub = new Submission(given.template(), given.templateVersion(), given.product(), given.templates(),
        n -> verdicts.computeIfAbsent(n, given.vendors()::check));
    List<String> secretNamespaces;
    ConformanceRunner.Answering answering;
    try (KubernetesClient client = access.open()) {
      VersionInfo v = client.getKubernetesVersion();
      answering = ConformanceRunner.answering(sub, product, ConformanceRunner.minor(v));
      secretNamespaces = RunnerPermissions.secretNamespaces(StackRevisions.lastDeployed(client));
    } catch (KubernetesClientException e) {
      throw CnaiException.failure("the API server of " + access.describe() + " does not answer: " + e.getMessage(),
          "check that the cluster is running and that the kubeconfig is current", e);
    }
    Template t = answering.template();
    byte[] templateBytes = given.templates().bytes(given.template(), t).orElseThrow(() -> CnaiException.failure(
        "the checklist template " + t.source() + " was read, but no copy of it is left to hand to the cluster",
        "download the template and pass --template FILE"));
    Map<String, byte[]> inputs = new LinkedHashMap<>();
    inputs.put("template.yaml", templateBytes);
    List<String> args = new ArrayList<>(List.of("--output-dir", ConformanceJob.OUT,
        "--template", ConformanceJob.INPUT + "/template.yaml", "--template-source", t.source(),
        "--releases", ConformanceImage.RELEASES, "--linger", "600"));
    if (given.product() != null) {
      try {
        inputs.put("product.yaml", Files.readAllBytes(given.product()));
      } catch (IOException e) {
        throw CnaiException.badInput("cannot read --product " + given.product() + ": " + e.getMessage(), "check the file");
      }
      args.addAll(List.of("--product", ConformanceJob.INPUT + "/product.yaml"));
      VendorCheck.Verdict verdict = verdicts.values().stream().findFirst()
          .orElse(VendorCheck.Verdict.unknown("not checked"));
      args.addAll(List.of("--vendor", verdict.kind().name(), "--vendor-detail", verdict.detail()));
    }
    if (!tags.isEmpty()) {
      args.addAll(List.of("--tags", tags));
    }

    long b0 = System.nanoTime();
    ImageSpec spec = images.spec(name, o.releases());
    ImageRef target = name.registry().equals(registry.host()) ? name : name.inMirror(registry.host());
    BuiltImage built = builder.push(spec, registry, target);
    long buildMillis = (System.nanoTime() - b0) / 1_000_000;
    String pull = name.registry() + "/" + name.repository() + "@" + built.digest();
    progress.accept("conformance image " + name + " built and pushed to " + registry + "/" + target.repository() + " in "
        + buildMillis + " ms (" + built.bytes() / 1024 + " KiB, " + built.layers() + " layers, " + built.digest() + ")");

    ConformanceJob.Outcome out = new ConformanceJob(access, progress).run(new ConformanceJob.Spec(pull, args, inputs,
        RunnerPermissions.clusterRules(), RunnerPermissions.secretRules(), secretNamespaces, o.timeout()), o.outputDir());
    // the pod names its own folder; the reports are here now
    String summary = out.summary().replace("reports: " + ConformanceJob.OUT + " ",
        "reports: " + o.outputDir().toAbsolutePath().normalize() + " ");
    return new Result(out.exitCode(), summary, pull, built.bytes(), buildMillis, out.podMillis(), out.copyMillis());
  }

  /**
   * {@code --registry}, else the own registry of the local cluster whose kubeconfig this is (its
   * {@code cluster.properties} beside it). The nodes pull through their own network: a registry on
   * the loopback address is not one they reach, unless the image is named by that very address and
   * the nodes map it to the registry (kind's local registry: {@code localhost:5000} mirrored to the
   * registry's container).
   */
  static Registry registry(String given, ClusterAccess access, ImageRef image, Path cnaiHome) {
    Path kubeconfig = access.kubeconfig();
    String spec = given;
    if (spec == null || spec.isBlank()) {
      spec = localRegistry(kubeconfig.toAbsolutePath().getParent()).orElse(null);
    }
    if (spec == null || spec.isBlank()) {
      // a copy of a local cluster's kubeconfig (cnai cluster create --kubeconfig FILE): the cluster
      // whose own kubeconfig names the same API server
      spec = localClusterOf(access, cnaiHome).orElse(null);
    }
    if (spec == null || spec.isBlank()) {
      throw CnaiException.badInput("--in-cluster needs a registry the cluster's nodes pull from, and none is known for "
              + kubeconfig,
          "pass --registry URL (http://HOST:PORT for plain HTTP), e.g. the one of 'cnai cluster create --provider local "
              + "--local-registry', or a registry your nodes mirror with --registry-mirror; and --image as the nodes name it");
    }
    Registry r = Registry.parse(spec);
    String host = r.host().replaceFirst(":[0-9]+$", "");
    boolean loopback;
    try {
      loopback = host.equals("localhost") || InetAddress.getByName(host).isLoopbackAddress();
    } catch (IOException e) {
      loopback = false;
    }
    if (loopback && !image.registry().equals(r.host())) {
      throw CnaiException.badInput("--registry " + spec + " is on the loopback address: the cluster's nodes pull through "
              + "their own network and cannot reach it",
          "run the registry on an address the nodes reach (cnai cluster create --provider local --local-registry does), "
              + "or, where the nodes map that address to the registry (kind's local registry), name the image by it: "
              + "--image " + r.host() + "/cnai-conformance:1");
    }
    return r;
  }

  /** The {@code registry.local} of the cnai cluster folder {@code dir}, if it is one and runs a registry. */
  static Optional<String> localRegistry(Path dir) {
    Path props = dir.resolve("cluster.properties");
    if (!Files.isRegularFile(props)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(props)) {
      p.load(in);
    } catch (IOException e) {
      return Optional.empty();
    }
    String r = p.getProperty("registry.local", "");
    return r.isBlank() ? Optional.empty() : Optional.of(r);
  }

  /** The registry of the local cluster under {@code home}/clusters whose kubeconfig names the same API server. */
  static Optional<String> localClusterOf(ClusterAccess access, Path home) {
    Path clusters = home.resolve("clusters");
    if (!Files.isDirectory(clusters)) {
      return Optional.empty();
    }
    String server;
    try {
      server = access.server();
    } catch (CnaiException e) {
      return Optional.empty();
    }
    try (var dirs = Files.list(clusters)) {
      for (Path d : dirs.sorted().toList()) {
        Optional<String> r = localRegistry(d);
        Path kc = d.resolve("kubeconfig");
        if (r.isPresent() && Files.isRegularFile(kc)) {
          try {
            if (server.equals(ClusterAccess.of(kc, null).server())) {
              return r;
            }
          } catch (CnaiException e) {
            // not readable: not this one
          }
        }
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }


  /** cnai's version, as the image's tag. */
  static String version() {
    String v = InClusterConformance.class.getPackage().getImplementationVersion();
    return v == null || v.isBlank() ? "dev" : v.replaceAll("[^A-Za-z0-9_.-]", "-");
  }
}
