package io.cnai.installer.lifecycle;

import io.cnai.installer.helm.HelmReleases;
import io.cnai.core.CnaiException;
import io.cnai.installer.helm.RenderedChart;
import io.cnai.installer.kube.Applier;
import io.cnai.installer.kube.KubeTarget;
import io.cnai.installer.kube.LiveFacts;
import io.cnai.installer.kube.ObjectRef;
import io.cnai.installer.kube.Readiness;
import io.cnai.installer.lifecycle.Progress.Phase;
import io.cnai.installer.plan.Canonical;
import io.cnai.installer.plan.Plan;
import io.cnai.installer.plan.PlanStep;
import io.cnai.installer.plan.TargetFacts;
import io.cnai.installer.render.StackRenderer;
import io.cnai.revision.StackRevision;
import io.cnai.revision.StackRevision.Action;
import io.cnai.revision.StackRevision.ComponentRevision;
import io.cnai.revision.StackRevision.Status;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Install, upgrade, roll back and remove the stack on one cluster, and read its history and status.
 * Every action first fetches, verifies and renders everything ({@link StackRenderer}); only then
 * does it touch the cluster. Each install, upgrade and rollback writes a {@link StackRevision}.
 */
public final class Lifecycle {
  private final KubeTarget target;
  private final StackRenderer renderer;
  private final Preflight preflight;
  private final Progress progress;
  private final Clock clock;

  public Lifecycle(KubeTarget target, StackRenderer renderer, Preflight preflight, Progress progress, Clock clock) {
    this.target = target;
    this.renderer = renderer;
    this.preflight = preflight;
    this.progress = progress;
    this.clock = clock;
  }

  /** What an action did. */
  public record Result(StackRevision revision, boolean changed, List<String> changes) {}

  // ---------------------------------------------------------------- install / upgrade

  public Result install(Options.Install o) {
    preflight.check(o.source().distributionFile());
    try (KubernetesClient client = target.client()) {
      Prepared p = prepare(client, o.source(), o.requireLocked(), o.allowUnverified());
      RevisionStore store = new RevisionStore(client);
      repairRevisions(store);
      RevisionStore.Stored last = store.lastDeployed();
      if (last != null) {
        if (!sameSpecs(last.specs(), p.specs)) {
          throw CnaiException.badInput(
              "the stack is already installed (revision " + last.revision().revision() + ": " + last.revision().distributionName()
                  + " " + last.revision().distributionVersion() + ", profile " + last.revision().profile() + ") with another plan",
              "use 'cnai upgrade' to move it to this plan, or 'cnai uninstall' first");
        }
        StackStatus st = liveStatus(client, last, p);
        if (st != null && st.drift().isEmpty() && st.ready()) {
          progress.event(null, Phase.DONE, "already installed and unchanged (revision " + last.revision().revision() + ")");
          return new Result(last.revision(), false, List.of());
        }
        return apply(client, store, p, Action.INSTALL, last, o.timeout(), false, p.allowUnverified, List.of(), repairs(st));
      }
      return apply(client, store, p, Action.INSTALL, last, o.timeout(), false, p.allowUnverified, List.of(), Set.of());
    }
  }

  public Result upgrade(Options.Upgrade o) {
    preflight.check(o.source().distributionFile());
    try (KubernetesClient client = target.client()) {
      Prepared p = prepare(client, o.source(), o.requireLocked(), o.allowUnverified());
      RevisionStore store = new RevisionStore(client);
      repairRevisions(store);
      RevisionStore.Stored last = store.lastDeployed();
      if (last == null) {
        throw CnaiException.badInput("nothing is installed on this cluster (no deployed stack revision in " + StackRevision.NAMESPACE + ")",
            "run 'cnai install' first; 'cnai history' shows what happened before");
      }
      List<String> changes = diff(last.specs(), p.specs);
      for (String c : changes) {
        progress.event(null, Phase.PLAN, c);
      }
      StackStatus st = sameSpecs(last.specs(), p.specs) ? liveStatus(client, last, p) : null;
      if (st != null && st.drift().isEmpty() && st.ready()) {
        progress.event(null, Phase.DONE, "nothing to upgrade (revision " + last.revision().revision() + ")");
        return new Result(last.revision(), false, List.of());
      }
      try {
        Result r = apply(client, store, p, Action.UPGRADE, last, o.timeout(), o.deletePvcs(), p.allowUnverified, changes, repairs(st));
        return new Result(r.revision(), true, changes);
      } catch (CnaiException e) {
        if (o.noRollback()) {
          throw new CnaiException(e.kind(), e.location(), "upgrade failed: " + e.problem(),
              "--no-rollback was given: the stack is left as the upgrade left it; fix the cause and upgrade again, or run 'cnai rollback "
                  + last.revision().revision() + "'");
        }
        progress.event(null, Phase.INFO, "upgrade failed; rolling back to revision " + last.revision().revision());
        StackRevision back;
        try {
          back = rollbackTo(client, store, last, o.timeout(), o.deletePvcs());
        } catch (CnaiException re) {
          throw CnaiException.failure("upgrade failed: " + e.problem() + "\nand the automatic rollback to revision "
              + last.revision().revision() + " failed too: " + re.problem(), "fix the causes above, then run 'cnai rollback " + last.revision().revision() + "'");
        }
        throw CnaiException.failure("upgrade failed: " + e.problem() + "\nrolled back automatically to revision "
            + last.revision().revision() + " (now revision " + back.revision() + ")",
            "the stack runs what it ran before; fix the cause above and upgrade again (--no-rollback keeps a failed upgrade for inspection)");
      }
    }
  }

  /** How an unsigned distribution allowed by the user is recorded in {@code allowUnverified}. */
  public static final String DISTRIBUTION_ENTRY = "distribution ";

  private record Prepared(Plan plan, List<ComponentSpec> specs, List<Deployer.Item> items, List<String> allowUnverified) {}

  private Prepared prepare(KubernetesClient client, Options.PlanSource source, boolean requireLocked, List<String> allowUnverified) {
    TargetFacts facts = LiveFacts.read(client, target.kubeconfig() + (target.context() == null ? "" : " (" + target.context() + ")"));
    Plan plan = source.plan(facts);
    for (String w : plan.warnings()) {
      progress.event(null, Phase.INFO, "warning: " + w);
    }
    Set<String> names = new HashSet<>();
    plan.steps().forEach(s -> names.add(s.name()));
    for (String a : allowUnverified) {
      if (a.startsWith(DISTRIBUTION_ENTRY)) {
        continue; // the unsigned distribution, allowed by --allow-unsigned-distribution
      }
      if (!names.contains(a)) {
        throw CnaiException.badInput("--allow-unverified names '" + a + "', which is not a component of the plan",
            "name components of the plan: " + String.join(", ", new java.util.TreeSet<>(names)));
      }
    }
    List<String> allowed = new ArrayList<>();
    allowUnverified.stream().filter(a -> a.startsWith(DISTRIBUTION_ENTRY)).forEach(allowed::add);
    for (PlanStep s : plan.steps()) {
      if (!s.component().source().locked()) {
        if (allowUnverified.contains(s.name())) {
          allowed.add(s.name());
          progress.event(s.name(), Phase.INFO, "not locked: installed unverified, as --allow-unverified " + s.name() + " says (recorded in the revision)");
        } else if (requireLocked) {
          throw CnaiException.refused("component '" + s.name() + "' is not locked (no digest in the distribution) and --require-locked was given; nothing was applied",
              "lock it with 'cnai distro lock', or accept it explicitly with --allow-unverified " + s.name());
        }
      }
    }
    progress.event(null, Phase.FETCH, "fetching and verifying " + plan.steps().size() + " component(s)");
    return render(plan, allowed);
  }

  private Prepared render(Plan plan, List<String> allowed) {
    List<StackRenderer.Fetched> fetched = renderer.fetchAll(plan);
    StackRenderer.RenderedStack stack = renderer.render(plan);
    List<ComponentSpec> specs = new ArrayList<>();
    List<Deployer.Item> items = new ArrayList<>();
    for (int i = 0; i < stack.components().size(); i++) {
      StackRenderer.RenderedComponent c = stack.components().get(i);
      StackRenderer.Fetched f = fetched.get(i);
      ComponentSpec spec = ComponentSpec.of(c.step(), c.digest(), c.subchartDigests());
      specs.add(spec);
      items.add(new Deployer.Item(spec, c.rendered(), f.chart() == null ? null : f.chart().archive(),
          f.subcharts().stream().map(x -> x.archive()).toList()));
      progress.event(spec.name(), Phase.RENDER, spec.reference() + " " + c.digest().substring(0, Math.min(19, c.digest().length()))
          + ": " + c.rendered().crds().size() + " CRD(s), " + c.rendered().resources().size() + " object(s), " + c.rendered().hooks().size() + " hook(s)");
    }
    return new Prepared(plan, specs, items, allowed);
  }

  /**
   * Whether two sets of specs install the same thing (names, namespaces, digests, values). The plan
   * digest is not compared: it covers the target's facts, which an install itself changes (new APIs).
   */
  static boolean sameSpecs(List<ComponentSpec> a, List<ComponentSpec> b) {
    java.util.function.Function<List<ComponentSpec>, Set<String>> key = l -> new java.util.TreeSet<>(
        l.stream().map(s -> s.name() + "|" + s.namespace() + "|" + s.digest() + "|" + s.valuesDigest() + "|" + s.wave()).toList());
    return key.apply(a).equals(key.apply(b));
  }

  /**
   * The live status against the deployed revision when that revision has the same components,
   * digests and values as the plan ({@code null} otherwise: everything is applied anyway). Drift
   * found here is repaired by applying the drifted components again.
   */
  private StackStatus liveStatus(KubernetesClient client, RevisionStore.Stored last, Prepared p) {
    if (last.specs().size() != p.specs.size()) {
      return null;
    }
    Map<String, ComponentRevision> prev = byName(last.revision());
    for (ComponentSpec s : p.specs) {
      ComponentRevision c = prev.get(s.name());
      if (c == null || !s.digest().equals(c.digest()) || !s.valuesDigest().equals(c.valuesDigest())) {
        return null;
      }
    }
    Map<String, RenderedChart> rendered = new LinkedHashMap<>();
    p.items.forEach(i -> rendered.put(i.spec().name(), i.rendered()));
    StackStatus st = status(client, last, rendered, new ArrayList<>());
    for (String d : st.drift()) {
      progress.event(null, Phase.REPAIR, "drift: " + d);
    }
    return st;
  }

  private static Set<String> repairs(StackStatus st) {
    Set<String> out = new java.util.TreeSet<>();
    if (st != null) {
      st.components().stream().filter(c -> !c.drift().isEmpty()).forEach(c -> out.add(c.name()));
    }
    return out;
  }

  private Result apply(KubernetesClient client, RevisionStore store, Prepared p, Action action, RevisionStore.Stored last,
      Duration timeout, boolean deletePvcs, List<String> allowUnverified, List<String> changes, Set<String> repair) {
    Instant started = clock.instant();
    int number = store.nextNumber();
    Plan plan = p.plan;
    StackRevision pending = new StackRevision(number, action, Status.PENDING, plan.distribution().name(), plan.distribution().version(),
        plan.profile().name(), plan.digest(), Canonical.sha256(valuesOf(p.specs)), started, null, allowUnverified,
        action + " in progress", List.of());
    store.create(pending, p.specs);
    progress.event(null, Phase.APPLY, action.name().toLowerCase(java.util.Locale.ROOT) + ": stack revision " + number);
    return finish(client, store, pending, p.specs, p.items, last, timeout, deletePvcs, false, changes, repair);
  }

  private Result finish(KubernetesClient client, RevisionStore store, StackRevision pending, List<ComponentSpec> specs,
      List<Deployer.Item> items, RevisionStore.Stored last, Duration timeout, boolean deletePvcs, boolean reverse, List<String> changes,
      Set<String> repair) {
    Deployer d = new Deployer(client, new HelmReleases(target, client), progress, timeout).repairing(repair);
    try {
      d.applyCrds(items);
      List<List<Deployer.Item>> waves = waves(items);
      if (reverse) {
        Collections.reverse(waves);
      }
      Map<String, ComponentRevision> done = d.deploy(waves, last == null ? Map.of() : byName(last.revision()), deletePvcs);
      if (last != null) {
        Set<String> now = new HashSet<>();
        specs.forEach(s -> now.add(s.name()));
        List<ComponentSpec> gone = new ArrayList<>(last.specs().stream().filter(s -> !now.contains(s.name())).toList());
        gone.sort((a, b) -> b.wave() - a.wave());
        for (ComponentSpec s : gone) {
          d.remove(s, deletePvcs, false);
        }
      }
      List<ComponentRevision> comps = new ArrayList<>();
      for (ComponentSpec s : specs) {
        comps.add(done.get(s.name()));
      }
      StackRevision deployed = with(pending, Status.DEPLOYED, pending.action() + " complete", comps);
      store.update(deployed, specs);
      if (last != null) {
        store.update(with(last.revision(), Status.SUPERSEDED, last.revision().message(), last.revision().components()), last.specs());
      }
      progress.event(null, Phase.DONE, "stack revision " + deployed.revision() + " deployed");
      return new Result(deployed, true, changes);
    } catch (CnaiException e) {
      store.update(with(pending, Status.FAILED, e.problem(), List.of()), specs);
      progress.event(null, Phase.FAIL, "stack revision " + pending.revision() + " failed");
      throw e;
    }
  }

  private StackRevision with(StackRevision r, Status status, String message, List<ComponentRevision> comps) {
    return new StackRevision(r.revision(), r.action(), status, r.distributionName(), r.distributionVersion(), r.profile(),
        r.planDigest(), r.valuesDigest(), r.startedAt(), status == Status.PENDING ? null : clock.instant(), r.allowUnverified(), message, comps);
  }

  private static Map<String, Object> valuesOf(List<ComponentSpec> specs) {
    Map<String, Object> m = new TreeMap<>();
    specs.forEach(s -> m.put(s.name(), s.values()));
    return m;
  }

  private static Map<String, ComponentRevision> byName(StackRevision r) {
    Map<String, ComponentRevision> m = new LinkedHashMap<>();
    r.components().forEach(c -> m.put(c.name(), c));
    return m;
  }

  private static List<List<Deployer.Item>> waves(List<Deployer.Item> items) {
    Map<Integer, List<Deployer.Item>> w = new TreeMap<>();
    items.forEach(i -> w.computeIfAbsent(i.spec().wave(), k -> new ArrayList<>()).add(i));
    return new ArrayList<>(w.values());
  }

  /** Revisions left PENDING by an interrupted command become FAILED; only the newest DEPLOYED stays so. */
  private void repairRevisions(RevisionStore store) {
    List<RevisionStore.Stored> all = store.list();
    int newestDeployed = -1;
    for (RevisionStore.Stored s : all) {
      if (s.revision().status() == Status.DEPLOYED) {
        newestDeployed = s.revision().revision();
      }
    }
    for (RevisionStore.Stored s : all) {
      StackRevision r = s.revision();
      if (r.status() == Status.PENDING) {
        progress.event(null, Phase.REPAIR, "stack revision " + r.revision() + " was left pending by an interrupted command; marked failed");
        store.update(with(r, Status.FAILED, "interrupted: left pending, marked failed by the next command", r.components()), s.specs());
      } else if (r.status() == Status.DEPLOYED && r.revision() != newestDeployed) {
        store.update(with(r, Status.SUPERSEDED, r.message(), r.components()), s.specs());
      }
    }
  }

  /** What changes from {@code from} to {@code to}: components added and removed, versions, values. */
  public static List<String> diff(List<ComponentSpec> from, List<ComponentSpec> to) {
    Map<String, ComponentSpec> a = new LinkedHashMap<>();
    from.forEach(s -> a.put(s.name(), s));
    List<String> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (ComponentSpec s : to) {
      seen.add(s.name());
      ComponentSpec o = a.get(s.name());
      if (o == null) {
        out.add("+ " + s.name() + " " + s.reference() + " (added)");
        continue;
      }
      if (!o.version().equals(s.version()) || !o.digest().equals(s.digest())) {
        out.add("~ " + s.name() + " " + o.version() + " -> " + s.version() + (o.version().equals(s.version()) ? " (new digest)" : ""));
      }
      if (!o.valuesDigest().equals(s.valuesDigest())) {
        out.add("~ " + s.name() + " values " + Canonical.json(o.values()) + " -> " + Canonical.json(s.values()));
      }
    }
    for (ComponentSpec o : from) {
      if (!seen.contains(o.name())) {
        out.add("- " + o.name() + " " + o.reference() + " (removed)");
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- rollback

  public Result rollback(Options.Rollback o) {
    try (KubernetesClient client = target.client()) {
      RevisionStore store = new RevisionStore(client);
      repairRevisions(store);
      List<RevisionStore.Stored> all = store.list();
      RevisionStore.Stored last = store.lastDeployed();
      RevisionStore.Stored to = null;
      if (o.revision() != null) {
        for (RevisionStore.Stored s : all) {
          if (s.revision().revision() == o.revision()) {
            to = s;
          }
        }
        if (to == null) {
          throw CnaiException.badInput("stack revision " + o.revision() + " does not exist",
              all.isEmpty() ? "nothing was ever installed on this cluster" : "'cnai history' lists the revisions: "
                  + all.stream().map(s -> Integer.toString(s.revision().revision())).toList());
        }
      } else {
        for (RevisionStore.Stored s : all) {
          if (last != null && s.revision().revision() < last.revision().revision()
              && (s.revision().status() == Status.SUPERSEDED || s.revision().status() == Status.DEPLOYED)) {
            to = s;
          }
        }
        if (to == null) {
          throw CnaiException.badInput("there is no earlier deployed stack revision to roll back to",
              "'cnai history' lists the revisions; name one: 'cnai rollback REVISION'");
        }
      }
      if (to.specs().isEmpty()) {
        throw CnaiException.badInput("stack revision " + to.revision().revision() + " (" + to.revision().action() + ", "
            + to.revision().status() + ") recorded no components to go back to", "'cnai history' lists the revisions; pick one that was deployed");
      }
      StackRevision r = rollbackTo(client, store, to, o.timeout(), o.deletePvcs());
      return new Result(r, true, List.of());
    }
  }

  /** Renders components as a revision recorded them (sources, digests, values), against the live cluster's facts. */
  private Prepared renderRecorded(KubernetesClient client, List<ComponentSpec> specs, StackRevision revision) {
    TargetFacts facts = LiveFacts.read(client, target.kubeconfig().toString());
    List<PlanStep> steps = specs.stream().map(ComponentSpec::step).toList();
    return render(new Plan(null, null, facts, steps, List.of(), revision.planDigest()), revision.allowUnverified());
  }

  private StackRevision rollbackTo(KubernetesClient client, RevisionStore store, RevisionStore.Stored to, Duration timeout, boolean deletePvcs) {
    progress.event(null, Phase.FETCH, "fetching (from the digest cache) and verifying the charts of revision " + to.revision().revision());
    Prepared p = renderRecorded(client, to.specs(), to.revision());
    RevisionStore.Stored last = store.lastDeployed();
    StackRevision src = to.revision();
    StackRevision pending = new StackRevision(store.nextNumber(), Action.ROLLBACK, Status.PENDING, src.distributionName(),
        src.distributionVersion(), src.profile(), src.planDigest(), src.valuesDigest(), clock.instant(), null, src.allowUnverified(),
        "rollback to revision " + src.revision(), List.of());
    store.create(pending, to.specs());
    progress.event(null, Phase.APPLY, "rollback to revision " + src.revision() + ": stack revision " + pending.revision());
    Result r = finish(client, store, pending, to.specs(), p.items, last, timeout, deletePvcs, true, List.of(), Set.of());
    StackRevision done = new StackRevision(r.revision().revision(), Action.ROLLBACK, Status.DEPLOYED, src.distributionName(),
        src.distributionVersion(), src.profile(), src.planDigest(), src.valuesDigest(), pending.startedAt(), r.revision().finishedAt(),
        src.allowUnverified(), "rolled back to revision " + src.revision(), r.revision().components());
    store.update(done, to.specs());
    return done;
  }

  // ---------------------------------------------------------------- uninstall

  /** Removes every component cnai installed, newest wave first; by default also the history and namespaces cnai made. */
  public void uninstall(Options.Uninstall o) {
    try (KubernetesClient client = target.client()) {
      RevisionStore store = new RevisionStore(client);
      List<RevisionStore.Stored> all;
      try {
        all = store.list();
      } catch (CnaiException e) {
        all = List.of();
      }
      Map<String, ComponentSpec> specs = new LinkedHashMap<>();
      for (RevisionStore.Stored s : all) {
        s.specs().forEach(c -> specs.put(c.name(), c));
      }
      Deployer d = new Deployer(client, new HelmReleases(target, client), progress, o.timeout());
      List<ComponentSpec> order = new ArrayList<>(specs.values());
      order.sort((a, b) -> b.wave() - a.wave());
      // with --delete-crds: the CRDs the inventories list, to wait for once deleted
      Set<ObjectRef> crds = new java.util.LinkedHashSet<>();
      if (o.deleteCrds()) {
        Inventory inv = new Inventory(client);
        for (String c : inv.components()) {
          inv.read(c).stream().filter(r -> "CustomResourceDefinition".equals(r.kind())).forEach(crds::add);
        }
      }
      Set<String> namespaces = new java.util.LinkedHashSet<>();
      for (ComponentSpec s : order) {
        d.remove(s, o.deletePvcs(), o.deleteCrds());
        namespaces.add(s.namespace());
      }
      for (String leftover : new Inventory(client).components()) {
        d.removeInventory(leftover, o.deletePvcs(), o.deleteCrds());
      }
      if (o.keepHistory()) {
        int n = store.nextNumber();
        RevisionStore.Stored last = store.lastDeployed();
        StackRevision base = last != null ? last.revision() : null;
        store.create(new StackRevision(n, Action.UNINSTALL, Status.UNINSTALLED, base == null ? "" : base.distributionName(),
            base == null ? "" : base.distributionVersion(), base == null ? "" : base.profile(), base == null ? "" : base.planDigest(),
            base == null ? "" : base.valuesDigest(), clock.instant(), clock.instant(), List.of(), "uninstalled", List.of()), List.of());
        if (last != null) {
          store.update(with(last.revision(), Status.SUPERSEDED, last.revision().message(), last.revision().components()), last.specs());
        }
      } else {
        for (RevisionStore.Stored s : all) {
          store.delete(s.revision().revision());
        }
        namespaces.add(StackRevision.NAMESPACE);
      }
      List<String> deleting = new ArrayList<>();
      for (String ns : namespaces) {
        if (new Applier(client).ownsNamespace(ns)) {
          // deleting a namespace deletes its PVCs: one that still holds claims kept without --delete-pvcs stays
          List<String> claims = o.deletePvcs() ? List.of() : client.persistentVolumeClaims().inNamespace(ns).list().getItems().stream()
              .filter(c -> c.getMetadata().getDeletionTimestamp() == null).map(c -> c.getMetadata().getName()).sorted().toList();
          if (!claims.isEmpty()) {
            progress.event(null, Phase.INFO, "namespace " + ns + " kept: it holds PersistentVolumeClaim(s) " + String.join(", ", claims)
                + ", kept without --delete-pvcs; 'kubectl delete namespace " + ns + "' deletes it and them");
            continue;
          }
          progress.event(null, Phase.REMOVE, "namespace " + ns);
          client.namespaces().withName(ns).delete();
          deleting.add(ns);
        }
      }
      for (String ns : deleting) {
        try {
          client.namespaces().withName(ns).waitUntilCondition(x -> x == null, o.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (KubernetesClientException e) {
          progress.event(null, Phase.INFO, "namespace " + ns + " is still terminating");
        }
      }
      Applier applier = new Applier(client);
      for (ObjectRef crd : crds) {
        String still = applier.awaitGone(crd, o.timeout());
        if (still != null) {
          progress.event(null, Phase.INFO, crd.id() + " is still being deleted (" + still + ")");
        }
      }
      progress.event(null, Phase.DONE, "uninstalled " + order.size() + " component(s)");
    }
  }

  // ---------------------------------------------------------------- history and status

  public List<StackRevision> history() {
    try (KubernetesClient client = target.client()) {
      return new RevisionStore(client).list().stream().map(RevisionStore.Stored::revision).toList();
    }
  }

  /** The live state of one component compared with the deployed revision. */
  public record ComponentStatus(String name, String namespace, String expected, String live, boolean ready, List<String> drift) {}

  /**
   * @param notes what could not be checked (e.g. the objects of a manifest component whose source
   *     is neither cached nor reachable), and why
   */
  public record StackStatus(StackRevision revision, List<ComponentStatus> components, List<String> drift, boolean ready, List<String> notes) {}

  /**
   * Compares the cluster with the last deployed revision: Helm releases (present, deployed, chart,
   * revision, values), every object cnai or Helm applied (present, ready) and its contents (a
   * server-side dry-run apply of what was deployed, compared with the live object: a difference is
   * a field changed outside cnai). Helm components are compared with the manifest Helm stored;
   * manifest components are rendered again from the digest cache.
   */
  public StackStatus status() {
    try (KubernetesClient client = target.client()) {
      RevisionStore.Stored last = new RevisionStore(client).lastDeployed();
      if (last == null) {
        throw CnaiException.badInput("nothing is installed on this cluster (no deployed stack revision in " + StackRevision.NAMESPACE + ")",
            "run 'cnai install'; 'cnai history' shows earlier revisions");
      }
      List<String> notes = new ArrayList<>();
      Map<String, RenderedChart> rendered = new LinkedHashMap<>();
      List<PlanStep> manifests = last.specs().stream().filter(s -> !s.helm()).map(ComponentSpec::step).toList();
      if (!manifests.isEmpty()) {
        try {
          renderRecorded(client, last.specs().stream().filter(s -> !s.helm()).toList(), last.revision())
              .items.forEach(i -> rendered.put(i.spec().name(), i.rendered()));
        } catch (CnaiException e) {
          notes.add("the objects of " + manifests.stream().map(PlanStep::name).toList() + " were checked for presence only, not contents: "
              + e.problem().lines().findFirst().orElse(""));
        }
      }
      return status(client, last, rendered, notes);
    }
  }

  /** {@code rendered}: the rendered objects of manifest components (those missing are checked for presence only). */
  private StackStatus status(KubernetesClient client, RevisionStore.Stored last, Map<String, RenderedChart> rendered, List<String> notes) {
    HelmReleases helm = new HelmReleases(target, client);
    Inventory inventory = new Inventory(client);
    Applier applier = new Applier(client);
    Map<String, ComponentRevision> byName = byName(last.revision());
    List<ComponentStatus> out = new ArrayList<>();
    List<String> all = new ArrayList<>();
    boolean allReady = true;
    for (ComponentSpec s : last.specs()) {
      List<String> drift = new ArrayList<>();
      String live = "present";
      if (s.helm()) {
        HelmReleases.Record cur = helm.current(s.name(), s.namespace());
        ComponentRevision rec = byName.get(s.name());
        if (cur == null) {
          drift.add("Helm release " + s.namespace() + "/" + s.name() + " is missing");
          live = "missing";
        } else {
          var rel = helm.status(s.name(), s.namespace());
          String chart = rel == null ? "?" : rel.getChart();
          live = chart + " (Helm revision " + cur.version() + ", " + cur.status() + ")";
          if (!"deployed".equals(cur.status())) {
            drift.add("Helm release " + s.name() + " is " + cur.status());
          }
          if (rel != null && !chart.equals(s.chart() + "-" + s.version())) {
            drift.add("chart " + chart + " runs instead of " + s.chart() + "-" + s.version());
          }
          if (rec != null && rec.helmRevision() != cur.version()) {
            drift.add("Helm revision " + cur.version() + " instead of " + rec.helmRevision() + " (changed outside cnai)");
          }
          Map<String, Object> values = helm.values(s.name(), s.namespace());
          if (values != null && !Canonical.sha256(values).equals(s.valuesDigest())) {
            drift.add("values digest " + Canonical.sha256(values) + " instead of " + s.valuesDigest());
          }
          String manifest = helm.manifest(s.name(), s.namespace(), cur.version());
          if (manifest != null) {
            drift.addAll(contentDrift(applier, s, io.cnai.installer.helm.Manifests.split(manifest, "Helm release " + s.name())));
          }
        }
      } else if (rendered.containsKey(s.name())) {
        RenderedChart r = rendered.get(s.name());
        List<io.cnai.installer.helm.Manifest> objects = new ArrayList<>(r.crds());
        objects.addAll(r.resources());
        drift.addAll(contentDrift(applier, s, objects));
      }
      boolean ready = true;
      for (ObjectRef r : inventory.read(s.name())) {
        var obj = applier.get(r);
        if (obj == null) {
          drift.add(r.id() + " is missing");
          ready = false;
        } else if (Readiness.watched(r) && !Readiness.ready(obj)) {
          ready = false;
        }
      }
      allReady &= ready;
      drift.forEach(x -> all.add(s.name() + ": " + x));
      out.add(new ComponentStatus(s.name(), s.namespace(), s.reference(), live, ready, drift));
    }
    return new StackStatus(last.revision(), out, all, allReady, List.copyOf(notes));
  }

  /** Objects whose live contents differ from what a dry-run apply of the deployed object gives. */
  private static List<String> contentDrift(Applier applier, ComponentSpec s, List<io.cnai.installer.helm.Manifest> objects) {
    List<String> out = new ArrayList<>();
    for (io.cnai.installer.helm.Manifest m : objects) {
      Deployer.Meta meta = Deployer.meta(s, m.isCrd());
      Map<String, String> labels = meta == null ? Map.of() : meta.labels();
      Map<String, String> annotations = meta == null ? Map.of() : meta.annotations();
      try {
        var desired = applier.prepare(m.yaml(), s.namespace(), labels, annotations);
        var live = applier.get(ObjectRef.of(desired));
        if (live == null || live.getMetadata().getDeletionTimestamp() != null) {
          continue; // missing objects are reported from the inventory
        }
        var expected = applier.dryRunApply(desired);
        List<String> d = io.cnai.installer.kube.ObjectDiff.diff(live, expected);
        if (!d.isEmpty()) {
          out.add(ObjectRef.of(desired).id() + " changed outside cnai: " + String.join("; ", d));
        }
      } catch (CnaiException | KubernetesClientException e) {
        out.add(m.id() + " cannot be compared: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
      }
    }
    return out;
  }

  public KubeTarget target() {
    return target;
  }

  public Path kubeconfig() {
    return target.kubeconfig();
  }
}
