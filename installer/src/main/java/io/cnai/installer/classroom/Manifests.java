package io.cnai.installer.classroom;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The objects of a classroom, as YAML documents: the shared ones (a ClusterRole for students; with
 * Kueue, a ResourceFlavor and the ClusterQueue they share) and those of one student's namespace.
 * Pure: the same inputs give the same text.
 */
public final class Manifests {
  /** On every namespace and object of a classroom. */
  public static final String CLASSROOM_LABEL = "cnai.io/classroom";
  /** The student an object belongs to. */
  public static final String STUDENT_LABEL = "cnai.io/classroom-student";
  public static final String SIZE_ANNOTATION = "cnai.io/classroom-size";
  public static final String IMAGE_ANNOTATION = "cnai.io/classroom-image";
  public static final String URL_ANNOTATION = "cnai.io/classroom-url";
  /** The ClusterRole bound in each student's namespace; also the ClusterQueue and ResourceFlavor. */
  public static final String SHARED_NAME = "cnai-classroom-student";
  public static final String CLUSTER_QUEUE = "cnai-classroom";
  public static final String LOCAL_QUEUE = "default";
  public static final String CREDENTIALS = "student-credentials";
  public static final String JUPYTER = "jupyterlab";
  public static final String LESSONS = "lessons";
  public static final String APP_LABEL = "app.kubernetes.io/name";
  /** What a student's JupyterLab server requests (an idle server uses about 1m CPU and 100 MiB). */
  public static final long SERVER_CPU_MILLIS = 50;
  public static final long SERVER_MEMORY_MIB = 256;

  private Manifests() {}

  /**
   * The kinds a student may create in their namespace (the writable resources of {@link
   * #clusterRole()}), owners first, plus the events about them: emptying these and applying the
   * student's objects again restores the starting state (everything else there is cnai's and only
   * readable by them).
   */
  public static final List<io.cnai.installer.kube.Tenants.Kind> STUDENT_KINDS = List.of(
      new io.cnai.installer.kube.Tenants.Kind("serving.kserve.io/v1beta1", "InferenceService"),
      new io.cnai.installer.kube.Tenants.Kind("batch/v1", "CronJob"),
      new io.cnai.installer.kube.Tenants.Kind("batch/v1", "Job"),
      new io.cnai.installer.kube.Tenants.Kind("apps/v1", "Deployment"),
      new io.cnai.installer.kube.Tenants.Kind("apps/v1", "StatefulSet"),
      new io.cnai.installer.kube.Tenants.Kind("apps/v1", "ReplicaSet"),
      new io.cnai.installer.kube.Tenants.Kind("v1", "Pod"),
      new io.cnai.installer.kube.Tenants.Kind("v1", "Service"),
      new io.cnai.installer.kube.Tenants.Kind("v1", "ConfigMap"),
      new io.cnai.installer.kube.Tenants.Kind("v1", "Secret"),
      new io.cnai.installer.kube.Tenants.Kind("v1", "PersistentVolumeClaim"),
      new io.cnai.installer.kube.Tenants.Kind("v1", "Event", false)); // new ones come while pods go: not waited for

  /** Objects a controller keeps in every namespace: not the student's, left alone by a reset. */
  public static final java.util.Set<String> KEEP = java.util.Set.of("kube-root-ca.crt");

  /** Labels cnai puts on every classroom object (the student's name added for their objects). */
  public static Map<String, String> labels(String student) {
    Map<String, String> l = new TreeMap<>();
    l.put(CLASSROOM_LABEL, "true");
    l.put("app.kubernetes.io/managed-by", "cnai");
    if (student != null) {
      l.put(STUDENT_LABEL, student);
    }
    return l;
  }

  /** Where a student's JupyterLab answers: {@code <base>/class-<name>/lab}. */
  public static String url(String baseUrl, Student s) {
    return baseUrl.replaceAll("/+$", "") + "/" + s.namespace() + "/lab";
  }

  /** The ClusterRole of students: edit their workloads, read their quota, limits, policies and queues. */
  public static String clusterRole() {
    return """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata:
          name: %s
        rules:
          - apiGroups: [""]
            resources: [pods, pods/log, pods/exec, pods/attach, pods/portforward, services, configmaps, secrets, persistentvolumeclaims]
            verbs: [get, list, watch, create, update, patch, delete, deletecollection]
          - apiGroups: [""]
            resources: [events, resourcequotas, limitranges, serviceaccounts]
            verbs: [get, list, watch]
          - apiGroups: [apps]
            resources: [deployments, deployments/scale, replicasets, statefulsets]
            verbs: [get, list, watch, create, update, patch, delete, deletecollection]
          - apiGroups: [batch]
            resources: [jobs, cronjobs]
            verbs: [get, list, watch, create, update, patch, delete, deletecollection]
          - apiGroups: [networking.k8s.io]
            resources: [networkpolicies, ingresses]
            verbs: [get, list, watch]
          - apiGroups: [kueue.x-k8s.io]
            resources: [localqueues, workloads]
            verbs: [get, list, watch]
          - apiGroups: [serving.kserve.io]
            resources: [inferenceservices]
            verbs: [get, list, watch, create, update, patch, delete]
        """.formatted(SHARED_NAME);
  }

  /** The ResourceFlavor and the ClusterQueue all students share, sized for {@code students}, fair-shared between their queues. */
  public static List<String> queues(String kueueApiVersion, List<Student> students) {
    long cpu = students.stream().mapToLong(s -> s.size().cpuMillis).sum();
    long mem = students.stream().mapToLong(s -> s.size().memoryMib).sum();
    String flavor = """
        apiVersion: %s
        kind: ResourceFlavor
        metadata:
          name: %s
        """.formatted(kueueApiVersion, CLUSTER_QUEUE);
    String queue = """
        apiVersion: %s
        kind: ClusterQueue
        metadata:
          name: %s
        spec:
          namespaceSelector:
            matchLabels:
              %s: "true"
          queueingStrategy: BestEffortFIFO
          fairSharing:
            weight: "1"
          admissionScope:
            admissionMode: UsageBasedAdmissionFairSharing
          resourceGroups:
            - coveredResources: [cpu, memory, nvidia.com/gpu]
              flavors:
                - name: %s
                  resources:
                    - name: cpu
                      nominalQuota: %dm
                    - name: memory
                      nominalQuota: %dMi
                    - name: nvidia.com/gpu
                      nominalQuota: %d
        """.formatted(kueueApiVersion, CLUSTER_QUEUE, CLASSROOM_LABEL, CLUSTER_QUEUE, cpu, mem, students.size());
    return List.of(flavor, queue);
  }

  /** {@link #student(Student, Settings, String, Map, String, List)} on a cluster whose nodes record no pod ranges. */
  public static List<String> student(Student s, Settings settings, String token, Map<String, String> lessons, String kueueApiVersion) {
    return student(s, settings, token, lessons, kueueApiVersion, List.of());
  }

  /**
   * What one student's namespace holds, the Namespace first, in apply order. With the cluster's
   * IPv4 pod ranges ({@code podCidrs}), the student's pods also take traffic from outside those ranges
   * (a browser reaching a server directly, as on a cnai local cluster); without, only from pods.
   */
  public static List<String> student(Student s, Settings settings, String token, Map<String, String> lessons, String kueueApiVersion,
      List<String> podCidrs) {
    List<String> out = new ArrayList<>();
    Size z = s.size();
    String ns = s.namespace();
    out.add("""
        apiVersion: v1
        kind: Namespace
        metadata:
          name: %s
          labels:
            pod-security.kubernetes.io/enforce: baseline
            pod-security.kubernetes.io/warn: restricted
          annotations:
            %s: %s
            %s: %s
            %s: %s
        """.formatted(ns, SIZE_ANNOTATION, z.id(), IMAGE_ANNOTATION, q(settings.image()), URL_ANNOTATION, q(settings.baseUrl())));
    out.add("""
        apiVersion: v1
        kind: ServiceAccount
        metadata:
          name: %s
          namespace: %s
        """.formatted(s.user(), ns));
    out.add("""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata:
          name: student
          namespace: %s
        roleRef:
          apiGroup: rbac.authorization.k8s.io
          kind: ClusterRole
          name: %s
        subjects:
          - kind: User
            apiGroup: rbac.authorization.k8s.io
            name: %s
          - kind: ServiceAccount
            name: %s
            namespace: %s
        """.formatted(ns, SHARED_NAME, s.user(), s.user(), ns));
    out.add("""
        apiVersion: v1
        kind: ResourceQuota
        metadata:
          name: classroom
          namespace: %s
        spec:
          hard:
            requests.cpu: %dm
            requests.memory: %dMi
            limits.cpu: %dm
            limits.memory: %dMi
            requests.nvidia.com/gpu: "1"
            requests.storage: 5Gi
            persistentvolumeclaims: "2"
            pods: "20"
            services: "5"
            services.nodeports: "0"
            services.loadbalancers: "0"
            secrets: "20"
            configmaps: "20"
        """.formatted(ns, z.cpuMillis, z.memoryMib, 2 * z.cpuMillis, 2 * z.memoryMib));
    out.add("""
        apiVersion: v1
        kind: LimitRange
        metadata:
          name: classroom
          namespace: %s
        spec:
          limits:
            - type: Container
              defaultRequest:
                cpu: %s
                memory: %s
              default:
                cpu: %s
                memory: %s
        """.formatted(ns, z.defaultRequestCpu, z.defaultRequestMemory, z.defaultLimitCpu, z.defaultLimitMemory));
    out.add("""
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata:
          name: classroom-isolation
          namespace: %s
        spec:
          podSelector: {}
          policyTypes: [Ingress]
          ingress:
            - from:
                - podSelector: {}
            - from:
                - namespaceSelector:
                    matchExpressions:
                      - key: %s
                        operator: DoesNotExist
        %s""".formatted(ns, CLASSROOM_LABEL, podCidrs.isEmpty() ? "" : """
            - from:
                - ipBlock:
                    cidr: 0.0.0.0/0
                    except: [%s]
        """.formatted(String.join(", ", podCidrs))));
    out.add("""
        apiVersion: v1
        kind: Secret
        metadata:
          name: %s
          namespace: %s
        type: Opaque
        data:
          token: %s
          user: %s
          url: %s
        """.formatted(CREDENTIALS, ns, b64(token), b64(s.user()), b64(url(settings.baseUrl(), s))));
    StringBuilder data = new StringBuilder();
    new TreeMap<>(lessons).forEach((k, v) -> data.append("  ").append(q(k)).append(": ").append(q(v)).append('\n'));
    out.add("""
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: %s
          namespace: %s
        data:
        %s""".formatted(LESSONS, ns, data.length() == 0 ? "  {}\n" : data));
    out.add("""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: %1$s
          namespace: %2$s
          labels:
            %3$s: %1$s
        spec:
          replicas: 1
          selector:
            matchLabels:
              %3$s: %1$s
          template:
            metadata:
              labels:
                %3$s: %1$s
                %4$s: %5$s
            spec:
              serviceAccountName: %6$s
              securityContext:
                runAsNonRoot: true
                runAsUser: 1000
                fsGroup: 100
                seccompProfile:
                  type: RuntimeDefault
              containers:
                - name: %1$s
                  image: %7$s
                  args: [jupyter, lab, --ip=0.0.0.0, --port=8888, --no-browser, "--ServerApp.base_url=/%2$s/", --ServerApp.root_dir=/home/jovyan]
                  env:
                    - name: JUPYTER_TOKEN
                      valueFrom:
                        secretKeyRef:
                          name: %8$s
                          key: token
                    - name: HOME
                      value: /home/jovyan
                  ports:
                    - name: http
                      containerPort: 8888
                  readinessProbe:
                    httpGet:
                      path: /%2$s/api
                      port: http
                    periodSeconds: 2
                    failureThreshold: 3
                  resources:
                    requests:
                      cpu: %10$dm
                      memory: %11$dMi
                    limits:
                      cpu: "1"
                      memory: 768Mi
                  securityContext:
                    allowPrivilegeEscalation: false
                    capabilities:
                      drop: [ALL]
                  volumeMounts:
                    - name: home
                      mountPath: /home/jovyan
                    - name: tmp
                      mountPath: /tmp
                    - name: lessons
                      mountPath: /home/jovyan/lessons
                      readOnly: true
                    - name: work
                      mountPath: /home/jovyan/work
              volumes:
                - name: home
                  emptyDir:
                    sizeLimit: 256Mi
                - name: tmp
                  emptyDir:
                    sizeLimit: 256Mi
                - name: lessons
                  configMap:
                    name: %9$s
                - name: work
                  emptyDir:
                    sizeLimit: 1Gi
        """.formatted(JUPYTER, ns, APP_LABEL, STUDENT_LABEL, s.name(), s.user(), q(settings.image()), CREDENTIALS, LESSONS,
            SERVER_CPU_MILLIS, SERVER_MEMORY_MIB));
    out.add("""
        apiVersion: v1
        kind: Service
        metadata:
          name: %1$s
          namespace: %2$s
        spec:
          selector:
            %3$s: %1$s
          ports:
            - name: http
              port: 80
              targetPort: http
        """.formatted(JUPYTER, ns, APP_LABEL));
    out.add("""
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: %1$s
          namespace: %2$s
        spec:
          rules:
            - http:
                paths:
                  - path: /%2$s/
                    pathType: Prefix
                    backend:
                      service:
                        name: %1$s
                        port:
                          name: http
        """.formatted(JUPYTER, ns));
    if (kueueApiVersion != null) {
      out.add("""
          apiVersion: %s
          kind: LocalQueue
          metadata:
            name: %s
            namespace: %s
          spec:
            clusterQueue: %s
            fairSharing:
              weight: "1"
          """.formatted(kueueApiVersion, LOCAL_QUEUE, ns, CLUSTER_QUEUE));
    }
    return out;
  }

  /** A JSON string: valid YAML whatever it holds. */
  static String q(String s) {
    try {
      return io.cnai.installer.json.Mappers.JSON.writeValueAsString(s);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  /** What a classroom is made with: the JupyterLab image, and the address students' URLs start with. */
  public record Settings(String image, String baseUrl) {
    public Settings {
      if (!baseUrl.matches("https?://[^\\s<>\"'`{}|\\\\^]+")) {
        throw io.cnai.core.CnaiException.badInput("--url '" + baseUrl + "' is not an http(s) URL",
            "write the address where the cluster's ingress answers, such as http://classroom.lan:8080");
      }
      if (image.isBlank() || image.chars().anyMatch(Character::isWhitespace)) {
        throw io.cnai.core.CnaiException.badInput("--image '" + image + "' is not an image reference", "write one such as registry.local/jupyterlab:1");
      }
    }

    /**
     * The JupyterLab image cnai builds from pinned packages ({@code education/jupyterlab/stage.sh},
     * pushed with {@code cnai images push}); the nodes pull {@code cnai.local/...} from the cluster's
     * registry through their mirror configuration. {@code --image} names another.
     */
    public static final String DEFAULT_IMAGE = "cnai.local/jupyterlab:2026.11";
    public static final String DEFAULT_URL = "http://localhost:8080";
  }
}
