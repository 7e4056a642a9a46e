package io.cnai.installer.cli;

import io.cnai.core.CnaiException;
import io.cnai.installer.classroom.Capacity;
import io.cnai.installer.classroom.Classroom;
import io.cnai.installer.classroom.Exercises;
import io.cnai.installer.classroom.Handouts;
import io.cnai.installer.classroom.Lessons;
import io.cnai.installer.classroom.Manifests;
import io.cnai.installer.classroom.Roster;
import io.cnai.installer.classroom.Size;
import io.cnai.installer.classroom.Student;
import io.cnai.installer.kube.ClusterSession;
import io.cnai.installer.kube.Tenants;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** 'cnai classroom create|status|reset|delete|handouts': one namespace, quota, queue and JupyterLab per student. */
@Command(
    name = "classroom",
    mixinStandardHelpOptions = true,
    description = "Run a classroom or Kids Day workshop on a cluster: per student a namespace with a quota, RBAC, isolation, a queue and their own JupyterLab.",
    subcommands = {
      ClassroomCommand.Create.class,
      ClassroomCommand.Status.class,
      ClassroomCommand.Reset.class,
      ClassroomCommand.Delete.class,
      ClassroomCommand.HandoutsCmd.class
    },
    footer = {
      "",
      "Examples:",
      "  cnai classroom create --students 30 --kubeconfig /tmp/sim.kubeconfig",
      "  cnai classroom handouts --output-dir /tmp/handouts --kubeconfig /tmp/sim.kubeconfig",
      "  cnai classroom status --kubeconfig /tmp/sim.kubeconfig"
    })
public final class ClassroomCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static Classroom classroom(ClusterSession session) {
    return new Classroom(Tenants.of(session), Lessons.load(CnaiRoot.find().resolve("education")), Clock.systemUTC());
  }

  static final class Who {
    @Option(names = "--students", paramLabel = "N", required = true, description = "How many students (named s01, s02 ...).")
    Integer students;

    @Option(names = "--roster", paramLabel = "FILE.csv", required = true,
        description = "The students: one 'name' or 'name,size' a line (an optional header 'name,size'; '#' starts a comment). Names become namespaces class-NAME: lowercase letters, digits and '-'.")
    Path roster;
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = {
        "Make (or bring up to date) a namespace per student: ResourceQuota and LimitRange of their size, RBAC to edit only",
        "their namespace, a NetworkPolicy against other students, a Kueue LocalQueue under a shared ClusterQueue (when",
        "Kueue is installed), a generated JupyterLab token in a Secret, the lessons, and a JupyterLab server.",
        "The roster and the cluster's capacity are checked before anything is made. Run again: students keep their tokens."
      },
      footer = {
        "",
        "Examples:",
        "  cnai classroom create --students 30 --size small --kubeconfig /tmp/sim.kubeconfig",
        "  cnai classroom create --roster class.csv --url http://classroom.lan:8080",
        "",
        "Exit codes: 0 made, 1 failure, 2 bad roster, too many students for the cluster, or bad flags (nothing made)."
      })
  static final class Create implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Who who;

    @Option(names = "--size", paramLabel = "SIZE", defaultValue = "small",
        description = "Size of students whose roster line names none: small (1 CPU, 1Gi), medium (2, 2Gi) or large (4, 4Gi); default: ${DEFAULT-VALUE}.")
    String size;

    @Option(names = "--image", paramLabel = "IMAGE", defaultValue = Manifests.Settings.DEFAULT_IMAGE,
        description = "JupyterLab image (default: ${DEFAULT-VALUE}).")
    String image;

    @Option(names = "--url", paramLabel = "URL", defaultValue = Manifests.Settings.DEFAULT_URL,
        description = "Where the cluster's ingress answers; a student's JupyterLab is at URL/class-NAME/lab (default: ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--fit", paramLabel = "WHAT", defaultValue = "quota",
        description = "What must fit in the nodes' allocatable CPU and memory: quota (every student's whole budget, beside 2 CPUs and 16Gi for the stack) or servers (only their JupyterLab servers, 50m CPU and 256Mi each: a laptop classroom); default: ${DEFAULT-VALUE}.")
    String fit;

    @Mixin KubeOptions kube;
    @Mixin OutputOptions output;

    @Override
    public Integer call() {
      Capacity.Fit fitBy = Capacity.Fit.parse(fit.toLowerCase(Locale.ROOT));
      Size preset = Size.parse(size.toLowerCase(Locale.ROOT)).orElseThrow(() -> CnaiException.badInput(
          "--size '" + size + "' is not a size", "use " + Size.choices()));
      List<Student> students = who.roster != null ? Roster.read(who.roster, preset) : Roster.ofCount(who.students, preset);
      String source = who.roster != null ? who.roster.toString() : "--students " + who.students;
      Manifests.Settings settings = new Manifests.Settings(image, url);
      PrintWriter out = spec.commandLine().getOut();
      try (ClusterSession session = ClusterSession.open(kube.access())) {
        Classroom.Created c = classroom(session).create(students, settings, source, fitBy);
        if (output.json()) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("result", "classroom created");
          m.put("students", c.students().stream().map(Student::name).toList());
          m.put("kueue", c.kueueApiVersion());
          m.put("containersRun", c.containersRun());
          m.put("seconds", c.took().toMillis() / 1000.0);
          OutputFormat.writeData(out, m, OutputFormat.JSON);
          return 0;
        }
        out.printf("classroom: %d students made in %.1f s (namespaces class-%s ... class-%s)%n", c.students().size(),
            c.took().toMillis() / 1000.0, c.students().get(0).name(), c.students().get(c.students().size() - 1).name());
        out.println(c.kueueApiVersion() != null
            ? "  queues: a LocalQueue '" + Manifests.LOCAL_QUEUE + "' per student under ClusterQueue '" + Manifests.CLUSTER_QUEUE + "' (" + c.kueueApiVersion() + ")"
            : "  queues: skipped, Kueue's CRDs are not served by this cluster (install the stack with --profile classroom, then run create again)");
        out.println(c.containersRun()
            ? "  JupyterLab servers are starting; 'cnai classroom status' says when each is ready"
            : "  note: this cluster's nodes are simulated: the JupyterLab servers are scheduled but do not run (no containers on sim nodes)");
        out.println("  next: cnai classroom handouts --output-dir DIR; cnai classroom status");
        return 0;
      }
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = {
        "Show every student: their JupyterLab server (ready, not ready, or simulated: never called ready on simulated",
        "nodes) and which exercises are done.",
        "Exit code 0 only when every student's server is really ready; 1 otherwise."
      },
      footer = {"", "Examples:", "  cnai classroom status --kubeconfig /tmp/sim.kubeconfig", "  cnai classroom status -o json"})
  static final class Status implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin KubeOptions kube;
    @Mixin OutputOptions output;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      try (ClusterSession session = ClusterSession.open(kube.access())) {
        Classroom classroom = classroom(session);
        List<Classroom.StudentStatus> all = classroom.status();
        boolean allReady = !all.isEmpty() && all.stream().allMatch(s -> s.server() == Classroom.Server.READY);
        if (output.json()) {
          List<Map<String, Object>> items = new ArrayList<>();
          for (Classroom.StudentStatus s : all) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", s.name());
            m.put("namespace", s.namespace());
            m.put("size", s.size().id());
            m.put("server", s.server().name().toLowerCase(Locale.ROOT).replace('_', '-'));
            m.put("detail", s.serverDetail());
            m.put("exercises", s.exercises());
            items.add(m);
          }
          OutputFormat.writeData(out, Map.of("students", items, "allReady", allReady, "containersRun", classroom.containersRun()), OutputFormat.JSON);
          return allReady ? 0 : 1;
        }
        if (all.isEmpty()) {
          out.println("No classroom on this cluster; make one with 'cnai classroom create --students N'.");
          return 1;
        }
        List<String> header = new ArrayList<>(List.of("STUDENT", "SIZE", "JUPYTERLAB"));
        Exercises.ALL.forEach(e -> header.add(e.id().toUpperCase(Locale.ROOT)));
        Table table = new Table(header.toArray(String[]::new));
        for (Classroom.StudentStatus s : all) {
          List<Object> r = new ArrayList<>(List.of(s.name(), s.size().id(), s.server().name().toLowerCase(Locale.ROOT).replace('_', '-')));
          for (Boolean done : s.exercises().values()) {
            r.add(done == null ? "n/a" : done ? "done" : "no");
          }
          table.row(r.toArray());
        }
        table.print(out);
        long simulated = all.stream().filter(s -> s.server() == Classroom.Server.SIMULATED).count();
        if (!classroom.containersRun()) {
          out.println("Every node of this cluster is simulated: no container runs here, so no JupyterLab server is ready for students.");
        } else if (simulated > 0) {
          out.printf("%d JupyterLab servers are on simulated nodes: no container runs there, so they are not ready for students.%n", simulated);
        }
        all.stream().filter(s -> s.server() == Classroom.Server.NOT_READY).forEach(s -> out.printf("%s: %s%n", s.name(), s.serverDetail()));
        out.println("n/a: the exercise's kind is not served by this cluster (its component is not installed).");
        out.println(allReady ? "All JupyterLab servers are ready." : "Not every JupyterLab server is ready.");
        return allReady ? 0 : 1;
      }
    }
  }

  @Command(
      name = "reset",
      mixinStandardHelpOptions = true,
      description = "Put one student (or, without STUDENT, every student) back to the starting state: everything they made in their namespace is deleted and cnai's objects (lessons, server, quota, RBAC, queue) are applied again; tokens stay; other students are not touched.",
      footer = {"", "Examples:", "  cnai classroom reset s07", "  cnai classroom reset --kubeconfig /tmp/sim.kubeconfig"})
  static final class Reset implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "STUDENT", description = "The student's name (as in status); none: everyone.")
    String student;

    @Mixin KubeOptions kube;
    @Mixin OutputOptions output;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      try (ClusterSession session = ClusterSession.open(kube.access())) {
        Classroom.ResetDone r = classroom(session).reset(student);
        List<String> done = r.students();
        double s = r.took().toMillis() / 1000.0;
        if (output.json()) {
          OutputFormat.writeData(out, Map.of("result", "reset", "students", done, "seconds", s), OutputFormat.JSON);
        } else if (done.isEmpty()) {
          out.println("No classroom on this cluster; nothing to reset.");
        } else {
          out.printf("reset: %s back to the start in %.1f s%n", done.size() == 1 ? "student " + done.get(0) : done.size() + " students", s);
        }
        return 0;
      }
    }
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Remove the classroom: every student's namespace (waited for), the shared ClusterQueue and ResourceFlavor, and the students' ClusterRole.",
      footer = {"", "Examples:", "  cnai classroom delete --kubeconfig /tmp/sim.kubeconfig"})
  static final class Delete implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin KubeOptions kube;
    @Mixin OutputOptions output;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      try (ClusterSession session = ClusterSession.open(kube.access())) {
        Classroom.Deleted d = classroom(session).delete();
        if (output.json()) {
          OutputFormat.writeData(out, Map.of("result", "deleted", "namespaces", d.namespaces(), "clusterObjects", d.clusterObjects()), OutputFormat.JSON);
        } else if (d.namespaces().isEmpty() && d.clusterObjects().isEmpty()) {
          out.println("No classroom on this cluster; nothing to delete.");
        } else {
          out.printf("deleted: %d student namespaces%s%n", d.namespaces().size(),
              d.clusterObjects().isEmpty() ? "" : ", " + String.join(", ", d.clusterObjects()));
        }
        return 0;
      }
    }
  }

  @Command(
      name = "handouts",
      mixinStandardHelpOptions = true,
      description = {
        "Write the HTML handouts: one per student (name, namespace, JupyterLab URL, token, lessons) and facilitator.html",
        "(everyone's access and each exercise's check). The files hold tokens: they are readable by you only."
      },
      footer = {"", "Examples:", "  cnai classroom handouts --output-dir /tmp/handouts --kubeconfig /tmp/sim.kubeconfig",
        "  cnai classroom handouts --output-dir kids --audience kids-day"})
  static final class HandoutsCmd implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--output-dir", paramLabel = "DIR", required = true, description = "Where to write the HTML files.")
    Path dir;

    @Option(names = "--audience", paramLabel = "WHO", description = "kids-day or workshop: only those lessons (default: all).")
    String audience;

    @Mixin KubeOptions kube;

    @Override
    public Integer call() {
      if (audience != null && !List.of(Exercises.KIDS, Exercises.WORKSHOP).contains(audience)) {
        throw CnaiException.badInput("--audience '" + audience + "' is not known", "use kids-day or workshop, or leave it out for every lesson");
      }
      PrintWriter out = spec.commandLine().getOut();
      Lessons lessons = Lessons.load(CnaiRoot.find().resolve("education"));
      try (ClusterSession session = ClusterSession.open(kube.access())) {
        List<Classroom.Access> access = new Classroom(Tenants.of(session), lessons, Clock.systemUTC()).access();
        List<Path> files = new Handouts(lessons).write(dir, access, audience);
        out.printf("handouts: %d files in %s (%s for the facilitator)%n", files.size(), dir, Handouts.FACILITATOR);
        return 0;
      }
    }
  }
}
