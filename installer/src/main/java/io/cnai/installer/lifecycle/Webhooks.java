package io.cnai.installer.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import io.cnai.core.CnaiException;
import io.cnai.installer.helm.Manifest;
import io.cnai.installer.json.Mappers;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Admission webhooks the rendered objects register, and what they intercept. A component that
 * registers a webhook must be serving before anything its webhook intercepts is applied: its
 * objects go first within their wave. Learned from the rendered objects, not from names.
 */
final class Webhooks {
  private Webhooks() {}

  /** One webhook: its configuration, name, failure policy, rules and the Service that serves it. */
  record Webhook(String configuration, String name, boolean failClosed, List<Rule> rules, String service) {
    /** Whether this webhook intercepts creating or updating {@code m}. */
    boolean intercepts(Manifest m) {
      return rules.stream().anyMatch(r -> r.matches(m));
    }
  }

  /** One rule: API groups, resources (plural, lower case; {@code *} for all) and operations. */
  record Rule(Set<String> groups, Set<String> resources, Set<String> operations) {
    private static final Set<String> WORKLOADS = Set.of("Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "ReplicaSet");

    boolean matches(Manifest m) {
      if (m.kind() == null || m.apiVersion() == null) {
        return false;
      }
      if (!(operations.contains("*") || operations.contains("CREATE") || operations.contains("UPDATE"))) {
        return false;
      }
      String group = m.apiVersion().contains("/") ? m.apiVersion().substring(0, m.apiVersion().indexOf('/')) : "";
      if (resources.contains("pods") && (groups.contains("") || groups.contains("*")) && WORKLOADS.contains(m.kind())) {
        return true; // the workload's controller creates the pods, and the webhook decides on them
      }
      return (groups.contains("*") || groups.contains(group)) && (resources.contains("*") || resources.contains(plural(m.kind())));
    }

    /** The resource name of a kind, as the API server names most: lower case, plural. */
    static String plural(String kind) {
      String k = kind.toLowerCase(Locale.ROOT);
      if (k.endsWith("y") && !k.endsWith("ay") && !k.endsWith("ey")) {
        return k.substring(0, k.length() - 1) + "ies";
      }
      return k.endsWith("s") || k.endsWith("x") || k.endsWith("ch") || k.endsWith("sh") ? k + "es" : k + "s";
    }
  }

  /** The webhooks that the objects register (Mutating- and ValidatingWebhookConfigurations). */
  static List<Webhook> of(List<Manifest> objects) {
    List<Webhook> out = new ArrayList<>();
    for (Manifest m : objects) {
      if (m.kind() == null || !m.kind().endsWith("WebhookConfiguration") || !"admissionregistration.k8s.io/v1".equals(m.apiVersion())) {
        continue;
      }
      JsonNode doc;
      try {
        doc = Mappers.YAML.readTree(m.yaml());
      } catch (IOException e) {
        continue; // the API server says what is wrong with it when it is applied
      }
      for (JsonNode w : doc.path("webhooks")) {
        List<Rule> rules = new ArrayList<>();
        for (JsonNode r : w.path("rules")) {
          rules.add(new Rule(texts(r.path("apiGroups")), texts(r.path("resources")), texts(r.path("operations"))));
        }
        JsonNode svc = w.path("clientConfig").path("service");
        out.add(new Webhook(m.name(), w.path("name").asText(), !"Ignore".equals(w.path("failurePolicy").asText("Fail")), rules,
            svc.isMissingNode() ? null : svc.path("namespace").asText() + "/" + svc.path("name").asText()));
      }
    }
    return out;
  }

  private static Set<String> texts(JsonNode list) {
    Set<String> out = new java.util.TreeSet<>();
    list.forEach(n -> out.add(n.asText()));
    return out;
  }

  /**
   * Each wave split so that components whose webhooks intercept objects of others in the same wave
   * come first (in a wave of their own); the rest of the wave follows.
   */
  static List<List<Deployer.Item>> ordered(List<List<Deployer.Item>> waves) {
    List<List<Deployer.Item>> out = new ArrayList<>();
    for (List<Deployer.Item> wave : waves) {
      List<Deployer.Item> first = new ArrayList<>();
      List<Deployer.Item> rest = new ArrayList<>();
      for (Deployer.Item it : wave) {
        List<Webhook> hooks = of(it.rendered().resources());
        boolean interceptsOthers = wave.stream().filter(o -> o != it)
            .anyMatch(o -> o.rendered().resources().stream().anyMatch(m -> hooks.stream().anyMatch(h -> h.intercepts(m))));
        (interceptsOthers ? first : rest).add(it);
      }
      if (!first.isEmpty() && !rest.isEmpty()) {
        out.add(first);
        out.add(rest);
      } else {
        out.add(wave);
      }
    }
    return out;
  }

  /**
   * Why component {@code s} cannot be applied on a cluster where no node runs containers (a sim
   * cluster), or null when it can: it registers a fail-closed webhook, which nothing would serve, so
   * every object it intercepts would be refused from then on. The webhook named is the first that intercepts
   * one of {@code others} (the objects of the rest of the stack), else the first; {@code needers}
   * are the components not applied because they need {@code s}.
   */
  static CnaiException unservable(ComponentSpec s, List<Manifest> objects, List<Manifest> others, List<String> needers) {
    List<Webhook> closed = of(objects).stream().filter(h -> h.failClosed() && !h.rules().isEmpty()).toList();
    if (closed.isEmpty()) {
      return null;
    }
    Webhook w = closed.stream().filter(h -> others.stream().anyMatch(h::intercepts)).findFirst().orElse(closed.get(0));
    String more = closed.size() == 1 ? "" : "; " + (closed.size() - 1) + " more of its webhooks fail closed";
    return CnaiException.failure("component '" + s.name() + "' registers admission webhook '" + w.name() + "' (" + w.configuration()
        + ", failurePolicy Fail" + more + ")" + (w.service() == null ? "" : ", served by Service " + w.service())
        + "; no node of this cluster runs containers (its nodes are simulated), so nothing would serve it and every object it"
        + " intercepts would be refused; '" + s.name() + "' was not applied"
        + (needers.isEmpty() ? "" : ", nor what needs it (" + String.join(", ", needers) + ")"),
        refusedHint(List.of(s.name())));
  }

  /** What to do about components refused because nothing on the cluster can serve their webhooks. */
  static String refusedHint(java.util.Collection<String> names) {
    String them = "'" + String.join("', '", names) + "'";
    boolean one = names.size() == 1;
    return "install on a cluster whose nodes run containers (kind, a laptop, EKS, GKE), or leave " + them + " and what needs "
        + (one ? "it" : "them") + " out with a profile; the components that do not need " + (one ? "it" : "them")
        + " were installed and 'cnai status' shows them";
  }

}
