package io.cnai.installer.lifecycle;

import io.cnai.installer.helm.HelmReleases;
import io.cnai.core.CnaiException;
import io.cnai.installer.helm.Manifest;
import io.cnai.installer.helm.RenderedChart;
import io.cnai.installer.kube.Applier;
import io.cnai.installer.kube.ObjectRef;
import io.cnai.installer.kube.Readiness;
import io.cnai.installer.kube.Transient;
import io.cnai.installer.lifecycle.Progress.Phase;
import io.cnai.revision.StackRevision.ComponentRevision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Applies rendered components to the cluster: CRDs first (server-side apply, waited until
 * Established), then wave after wave, the components of a wave in parallel; each component is a
 * Helm release (Helm components) or server-side applied, labelled and inventoried objects (manifest
 * components), and is ready when its workloads are.
 */
final class Deployer {
  /** One component to apply: its spec, rendered objects and verified archives. */
  record Item(ComponentSpec spec, RenderedChart rendered, Path archive, List<Path> subcharts,
      java.util.function.Supplier<Set<String>> dropTemplates) {}

  private final StackContext ctx;
  private final Applier applier;
  private final HelmReleases helm;
  private final Inventory inventory;
  private final Progress progress;
  private final Duration timeout;
  private Set<String> repair = Set.of();

  Deployer(StackContext ctx, Duration timeout) {
    this.ctx = ctx;
    this.applier = ctx.applier();
    this.helm = ctx.helm();
    this.inventory = ctx.inventory();
    this.progress = ctx.progress();
    this.timeout = timeout;
  }

  /** Components whose objects drifted: applied again even when their chart and values did not change. */
  Deployer repairing(Set<String> components) {
    this.repair = Set.copyOf(components);
    return this;
  }

  private ObjectRef ref(Manifest m, String defaultNamespace) {
    boolean ns = applier.isNamespaced(m.apiVersion(), m.kind());
    return new ObjectRef(m.apiVersion(), m.kind(), ns ? (m.namespace() == null ? defaultNamespace : m.namespace()) : null, m.name());
  }

  /**
   * Applies every CRD of the items at the same time (requests on a bounded pool) and waits until all
   * are Established. The CRDs of a component that the deployed revision ({@code previous}) already
   * has from the same chart or manifest digest and values, all live with cnai's labels and
   * annotations, and not to be repaired, are not sent again: an upgrade that changed one value
   * re-applied 5 MiB of CRDs (KubeRay's, Prometheus'), 16 s of 42 on a loaded machine.
   */
  void applyCrds(List<Item> items, Map<String, ComponentRevision> previous) {
    List<java.util.concurrent.Callable<ObjectRef>> applies = new ArrayList<>();
    for (Item it : items) {
      if (it.rendered().crds().isEmpty()) {
        continue;
      }
      ComponentSpec s = it.spec();
      Ownership.Meta meta = Ownership.meta(s, true);
      List<ObjectRef> unchanged = unchangedCrds(it, previous.get(s.name()), meta);
      if (unchanged != null) {
        progress.event(s.name(), Phase.SKIP, unchanged.size() + " CRD(s) unchanged since the deployed revision");
        continue;
      }
      progress.event(s.name(), Phase.APPLY, it.rendered().crds().size() + " CRD(s), server-side apply");
      Set<ObjectRef> refs = new LinkedHashSet<>(inventory.read(s.name()));
      for (Manifest m : it.rendered().crds()) {
        refs.add(ref(m, s.namespace()));
      }
      inventory.write(s.name(), refs); // recorded before they exist: an interruption leaves nothing unlisted
      for (Manifest m : it.rendered().crds()) {
        applies.add(() -> applier.apply(m.yaml(), s.namespace(), meta.labels(), meta.annotations()));
      }
    }
    if (applies.isEmpty()) {
      return;
    }
    List<ObjectRef> crds = concurrently("cnai-crds", applies);
    ctx.readiness().await("CRDs", crds, timeout);
  }

  /**
   * The CRDs of {@code it} when they need not be applied again (the same digest and values as the
   * deployed revision's record, every one live, not being deleted, carrying cnai's labels and
   * annotations, the component not to be repaired), else null.
   */
  private List<ObjectRef> unchangedCrds(Item it, ComponentRevision prev, Ownership.Meta meta) {
    ComponentSpec s = it.spec();
    if (prev == null || !"deployed".equals(prev.status()) || repair.contains(s.name()) || s.digest() == null
        || !s.digest().equals(prev.digest()) || !java.util.Objects.equals(s.valuesDigest(), prev.valuesDigest())) {
      return null;
    }
    List<ObjectRef> refs = new ArrayList<>();
    for (Manifest m : it.rendered().crds()) {
      refs.add(ref(m, s.namespace()));
    }
    List<java.util.concurrent.Callable<Boolean>> checks = new ArrayList<>();
    for (ObjectRef r : refs) {
      checks.add(() -> {
        var live = applier.get(r);
        if (live == null || live.getMetadata().getDeletionTimestamp() != null) {
          return false;
        }
        Map<String, String> l = live.getMetadata().getLabels() == null ? Map.of() : live.getMetadata().getLabels();
        Map<String, String> a = live.getMetadata().getAnnotations() == null ? Map.of() : live.getMetadata().getAnnotations();
        return l.entrySet().containsAll(meta.labels().entrySet()) && a.entrySet().containsAll(meta.annotations().entrySet());
      });
    }
    return concurrently("cnai-crd-check", checks).contains(false) ? null : refs;
  }

  /** Requests sent at once when many independent objects are applied or read. */
  static final int PARALLEL = 8;

  /** Runs the calls on a bounded pool, all of them even when one fails; their results in order, or the first failure. */
  static <T> List<T> concurrently(String name, List<? extends java.util.concurrent.Callable<T>> calls) {
    ExecutorService pool = Parallel.pool(name, Math.min(PARALLEL, calls.size()));
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (var c : calls) {
        futures.add(pool.submit(c));
      }
      List<T> out = new ArrayList<>();
      RuntimeException first = null;
      for (Future<T> f : futures) {
        try {
          out.add(Parallel.join(f));
        } catch (RuntimeException e) {
          first = first == null ? e : first;
        }
      }
      if (first != null) {
        throw first;
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Applies waves in the order given, recording each component's revision record in {@code out}
   * as it ends (deployed, or failed): after a failure {@code out} says how far it got. When
   * components of a wave fail, the wave is finished and one failure naming every one is thrown.
   *
   * <p>On a cluster where no node runs containers, a component with a fail-closed admission webhook
   * is refused before anything is applied (nothing would serve the webhook), and so is what needs
   * it (its {@code after}, transitively). Being refused, it registers no webhook, so the rest of the
   * stack goes on, as it would with that component left out by a profile; the refusals are thrown
   * at the end, after everything else was applied.
   */
  void deploy(List<List<Item>> waves, Map<String, ComponentRevision> previous, boolean deletePvcs, Map<String, ComponentRevision> out) {
    Map<String, String> needs = new LinkedHashMap<>();
    Map<String, CnaiException> refused = ctx.runsContainers() ? Map.of() : refusals(waves, needs);
    List<Failed> refusedSoFar = new ArrayList<>();
    ExecutorService pool = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "cnai-deploy");
      t.setDaemon(true);
      return t;
    });
    try {
      for (List<Item> wave : waves) {
        List<Item> started = new ArrayList<>();
        List<Future<ComponentRevision>> futures = new ArrayList<>();
        for (Item it : wave) {
          ComponentSpec s = it.spec();
          if (refused.containsKey(s.name())) {
            progress.event(s.name(), Phase.FAIL, refused.get(s.name()).problem());
            out.put(s.name(), record(s, 0, "failed"));
            refusedSoFar.add(new Failed(s.name(), refused.get(s.name())));
          } else if (needs.containsKey(s.name())) {
            progress.event(s.name(), Phase.SKIP, "not attempted: it needs '" + needs.get(s.name())
                + "', whose admission webhook nothing on this cluster can serve");
            out.put(s.name(), record(s, 0, "not attempted"));
          } else {
            started.add(it);
            futures.add(pool.submit(() -> deployRetrying(it, previous.get(s.name()), deletePvcs)));
          }
        }
        List<Failed> failed = new ArrayList<>();
        for (int i = 0; i < futures.size(); i++) {
          ComponentSpec s = started.get(i).spec();
          try {
            ComponentRevision r = futures.get(i).get();
            out.put(r.name(), r);
          } catch (ExecutionException e) {
            CnaiException ce = e.getCause() instanceof CnaiException c ? c
                : CnaiException.failure("component '" + s.name() + "' failed: " + e.getCause(), "see the message; run with -v for details", e.getCause());
            progress.event(s.name(), Phase.FAIL, ce.problem());
            out.put(s.name(), record(s, 0, "failed"));
            failed.add(new Failed(s.name(), ce));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CnaiException.failure("interrupted", "run the same command again");
          }
        }
        if (!failed.isEmpty()) {
          List<Failed> all = new ArrayList<>(refusedSoFar);
          all.addAll(failed);
          throw combined(all, refused.keySet());
        }
      }
      if (!refusedSoFar.isEmpty()) {
        throw combined(refusedSoFar, refused.keySet());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** A component that failed, and why. */
  private record Failed(String component, CnaiException e) {}

  /**
   * One failure, or one naming every component that failed (on its first line) with each one's
   * message, itself prefixed with the component's name where it does not start with it.
   */
  private static CnaiException combined(List<Failed> failed, Set<String> refused) {
    if (failed.size() == 1) {
      return failed.get(0).e();
    }
    // one hint for the components refused on a cluster without containers, then each other distinct one
    Set<String> hints = new LinkedHashSet<>();
    List<String> refusedHere = failed.stream().map(Failed::component).filter(refused::contains).toList();
    if (!refusedHere.isEmpty()) {
      hints.add(Webhooks.refusedHint(refusedHere));
    }
    failed.stream().filter(f -> !refused.contains(f.component())).map(f -> f.e().hint()).filter(h -> h != null && !h.isBlank())
        .forEach(hints::add);
    List<String> lines = new ArrayList<>();
    for (Failed f : failed) {
      String p = f.e().problem();
      lines.add("- " + (p.startsWith("component '" + f.component() + "'") ? p : "component '" + f.component() + "': " + p).replace("\n", "\n  "));
    }
    CnaiException first = failed.get(0).e();
    return new CnaiException(first.kind(), null, failed.size() + " components failed: "
        + String.join(", ", failed.stream().map(Failed::component).toList()) + "\n" + String.join("\n", lines), String.join("; ", hints));
  }

  /**
   * The components refused on a cluster where no node runs containers (a fail-closed admission
   * webhook), each with its failure; {@code needs} gets, for every component that needs a refused
   * one (directly or through others), the refused component it needs.
   */
  private static Map<String, CnaiException> refusals(List<List<Item>> waves, Map<String, String> needs) {
    List<Item> all = waves.stream().flatMap(List::stream).toList();
    Set<String> names = new LinkedHashSet<>();
    for (Item it : all) {
      if (Webhooks.unservable(it.spec(), it.rendered().resources(), List.of(), List.of()) != null) {
        names.add(it.spec().name());
      }
    }
    boolean changed = !names.isEmpty();
    while (changed) {
      changed = false;
      for (Item it : all) {
        String n = it.spec().name();
        if (needs.containsKey(n)) {
          continue; // a refused component is listed too, as needing the one it waits for
        }
        for (String dep : it.spec().after()) {
          String root = names.contains(dep) ? dep : needs.get(dep);
          if (root != null) {
            needs.put(n, root);
            changed = true;
            break;
          }
        }
      }
    }
    Map<String, CnaiException> out = new LinkedHashMap<>();
    for (Item it : all) {
      String n = it.spec().name();
      if (names.contains(n)) {
        List<Manifest> others = all.stream().filter(o -> o != it).flatMap(o -> o.rendered().resources().stream()).toList();
        List<String> needers = needs.entrySet().stream().filter(e -> e.getValue().equals(n)).map(Map.Entry::getKey).sorted().toList();
        out.put(n, Webhooks.unservable(it.spec(), it.rendered().resources(), others, needers));
      }
    }
    return out;
  }

  /** A component's revision record. */
  static ComponentRevision record(ComponentSpec s, int helmRevision, String status) {
    return new ComponentRevision(s.name(), s.namespace(), s.type(), s.helm() ? s.repository() + " " + s.chart() : s.url(),
        s.version(), s.digest(), s.valuesDigest(), s.helm() ? s.name() : null, helmRevision, status);
  }

  /**
   * Deploys a component; when the API server goes away in the middle (a restart, a dropped
   * connection), deploys it again (every step is idempotent), within the component's timeout.
   */
  private ComponentRevision deployRetrying(Item it, ComponentRevision prev, boolean deletePvcs) throws IOException {
    return retrying(it.spec().name(), "lost the API server", 500, () -> {}, () -> deployOne(it, prev, deletePvcs));
  }

  /** A step that may run again. */
  @FunctionalInterface
  private interface Step<T> {
    T run() throws IOException;
  }

  /**
   * Runs {@code step}; when it fails because the API server could not be reached for a moment
   * ({@link Transient}), says so, waits (from {@code backoffMs}, doubling up to 4 s), runs
   * {@code between} (e.g. a repair of what the broken call left) and runs it again, within the
   * component's timeout.
   */
  private <T> T retrying(String component, String what, long backoffMs, Runnable between, Step<T> step) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long backoff = backoffMs;
    while (true) {
      try {
        return step.run();
      } catch (RuntimeException | IOException e) {
        if (!Transient.is(e) || System.nanoTime() + backoff * 1_000_000 > deadline) {
          throw e;
        }
        String msg = e instanceof CnaiException c ? c.problem() : String.valueOf(e.getMessage());
        progress.event(component, Phase.REPAIR, what + " (" + msg.lines().findFirst().orElse("") + "); again in " + backoff + " ms");
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
        backoff = Math.min(4000, backoff * 2);
        try {
          between.run();
        } catch (RuntimeException again) {
          // still down: the next attempt says so
        }
      }
    }
  }

  private ComponentRevision deployOne(Item it, ComponentRevision prev, boolean deletePvcs) throws IOException {
    ComponentSpec s = it.spec();
    applier.ensureNamespace(s.namespace());
    List<ObjectRef> refs = new ArrayList<>();
    for (Manifest m : it.rendered().crds()) {
      refs.add(ref(m, s.namespace()));
    }
    for (Manifest m : it.rendered().resources()) {
      refs.add(ref(m, s.namespace()));
    }
    int helmRevision = 0;
    if (s.helm()) {
      for (HelmReleases.Record r : helm.repairPending(s.name(), s.namespace())) {
        progress.event(s.name(), Phase.REPAIR, "Helm release revision " + r.version() + " was left " + r.status() + " by an interrupted command; removed it");
      }
      HelmReleases.Record cur = helm.current(s.name(), s.namespace());
      boolean same = cur != null && "deployed".equals(cur.status()) && prev != null
          && s.digest().equals(prev.digest()) && s.valuesDigest().equals(prev.valuesDigest())
          && prev.helmRevision() == cur.version() && present(refs) && !repair.contains(s.name());
      Set<ObjectRef> old = inventory.read(s.name());
      inventory.write(s.name(), union(old, refs));
      inventory.writeHooks(s.name(), union(inventory.readHooks(s.name()), hookRefs(it)));
      if (same) {
        helmRevision = cur.version();
        progress.event(s.name(), Phase.SKIP, s.reference() + " unchanged (Helm revision " + helmRevision + ")");
      } else {
        progress.event(s.name(), Phase.APPLY, "helm upgrade --install " + s.name() + " " + s.reference()
            + (repair.contains(s.name()) ? " (its objects drifted: applied again)" : ""));
        Path work = Files.createTempDirectory("cnai-chart");
        try {
          Path chart = ChartDirs.forHelm(it.archive(), it.subcharts(), it.dropTemplates().get(), work);
          helmRevision = retrying(s.name(), "API server not reachable", 250, () -> helm.repairPending(s.name(), s.namespace()),
              () -> helm.upgradeInstall(s.name(), s.namespace(), chart, s.values(), timeout));
        } finally {
          deleteTree(work);
        }
      }
      new Remover(ctx, timeout).prune(s, old, refs, deletePvcs, "left by an earlier attempt, not in this release");
      inventory.write(s.name(), withKeptCrds(old, refs));
    } else {
      Set<ObjectRef> old = inventory.read(s.name());
      inventory.write(s.name(), union(old, refs));
      progress.event(s.name(), Phase.APPLY, it.rendered().resources().size() + " object(s), server-side apply");
      applyManifests(s, it.rendered().resources());
      new Remover(ctx, timeout).prune(s, old, refs, deletePvcs, "no longer in the manifests");
      inventory.write(s.name(), withKeptCrds(old, refs));
    }
    progress.event(s.name(), Phase.WAIT, "waiting for " + refs.stream().filter(Readiness::watched).count() + " object(s) to be ready");
    Readiness readiness = ctx.readiness();
    readiness.await(s.name(), refs.stream().filter(r -> !"CustomResourceDefinition".equals(r.kind())).toList(), timeout);
    for (Manifest m : it.rendered().resources()) {
      if (m.kind() != null && m.kind().endsWith("WebhookConfiguration")) {
        for (ObjectRef svc : Readiness.webhookServices(m.yaml(), refs)) {
          progress.event(s.name(), Phase.WAIT, "waiting for an endpoint of Service/" + svc.namespace() + "/" + svc.name() + " (webhook)");
          readiness.awaitEndpoints(s.name(), svc, timeout);
        }
      }
    }
    progress.event(s.name(), Phase.READY, s.reference());
    return record(s, helmRevision, "deployed");
  }

  /**
   * Server-side applies a manifest component's objects: Namespaces first, then the rest at the
   * same time, and admission webhook configurations last, so that a webhook never intercepts the
   * objects of its own component before they exist.
   */
  private void applyManifests(ComponentSpec s, List<Manifest> objects) {
    Ownership.Meta meta = Ownership.meta(s, false);
    List<List<java.util.concurrent.Callable<ObjectRef>>> stages = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    for (Manifest m : objects) {
      int stage = "Namespace".equals(m.kind()) ? 0 : m.kind() != null && m.kind().endsWith("WebhookConfiguration") ? 2 : 1;
      stages.get(stage).add(() -> applier.apply(m.yaml(), s.namespace(), meta.labels(), meta.annotations()));
    }
    for (var stage : stages) {
      if (!stage.isEmpty()) {
        concurrently("cnai-apply", stage);
      }
    }
  }

  /** The hooks of a chart: Helm never removes them on uninstall (a failed one may have left a webhook configuration). */
  private List<ObjectRef> hookRefs(Item it) {
    List<ObjectRef> out = new ArrayList<>();
    for (Manifest m : it.rendered().hooks()) {
      out.add(ref(m, it.spec().namespace()));
    }
    return out;
  }

  /** Whether every object exists (read at the same time). */
  private boolean present(List<ObjectRef> refs) {
    List<java.util.concurrent.Callable<Boolean>> gets = new ArrayList<>();
    refs.forEach(r -> gets.add(() -> applier.get(r) != null));
    return refs.isEmpty() || !concurrently("cnai-get", gets).contains(false);
  }

  /** The new objects, plus CRDs of the old set: CRDs are never pruned, so they stay listed for 'uninstall --delete-crds'. */
  private static Set<ObjectRef> withKeptCrds(Set<ObjectRef> old, List<ObjectRef> now) {
    Set<ObjectRef> u = new LinkedHashSet<>(now);
    old.stream().filter(r -> "CustomResourceDefinition".equals(r.kind())).forEach(u::add);
    return u;
  }

  private static Set<ObjectRef> union(Set<ObjectRef> a, List<ObjectRef> b) {
    Set<ObjectRef> u = new LinkedHashSet<>(a);
    u.addAll(b);
    return u;
  }

  static void deleteTree(Path p) {
    try (var s = Files.walk(p)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // temporary files
    }
  }
}
