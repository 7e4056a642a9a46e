package io.cnai.installer.cluster.sim;

/**
 * The kwok Stages of cnai's sim clusters, written for cnai: node Ready, pod Running, Job pod
 * Succeeded, pod deletion. Kept in code (not a resource file) so that the text travels with the
 * class that uses it.
 */
final class KwokStages {
  private KwokStages() {}

  /** The stages, with the kubelet version the nodes report filled in. */
  static String yaml(String kubeletVersion) {
    return TEMPLATE.replace("${KUBELET_VERSION}", kubeletVersion);
  }

  static final String TEMPLATE =
      """
      # kwok Stages of cnai's sim clusters, written for cnai. kwok plays the kubelet of every node that
      # carries the annotation kwok.x-k8s.io/node=fake: these stages say how nodes and pods move on.
      # The kubelet version is filled in by cnai. Go templates ({{ }}) are evaluated by kwok per object.
      apiVersion: kwok.x-k8s.io/v1alpha1
      kind: Stage
      metadata:
        name: cnai-node-ready
      spec:
        resourceRef:
          apiGroup: v1
          kind: Node
        selector:
          matchExpressions:
          - key: .metadata.deletionTimestamp
            operator: DoesNotExist
          - key: .status.phase
            operator: NotIn
            values: ["Running"]
        next:
          statusTemplate: |
            {{ $now := Now }}
            phase: Running
            conditions:
            - type: Ready
              status: "True"
              reason: KubeletReady
              message: "kwok plays the kubelet of this simulated node"
              lastHeartbeatTime: {{ $now | Quote }}
              lastTransitionTime: {{ $now | Quote }}
            - type: MemoryPressure
              status: "False"
              reason: KubeletHasSufficientMemory
              lastHeartbeatTime: {{ $now | Quote }}
              lastTransitionTime: {{ $now | Quote }}
            - type: DiskPressure
              status: "False"
              reason: KubeletHasNoDiskPressure
              lastHeartbeatTime: {{ $now | Quote }}
              lastTransitionTime: {{ $now | Quote }}
            - type: PIDPressure
              status: "False"
              reason: KubeletHasSufficientPID
              lastHeartbeatTime: {{ $now | Quote }}
              lastTransitionTime: {{ $now | Quote }}
            - type: NetworkUnavailable
              status: "False"
              reason: RouteCreated
              lastHeartbeatTime: {{ $now | Quote }}
              lastTransitionTime: {{ $now | Quote }}
            addresses:
            - type: InternalIP
              address: {{ NodeIP | Quote }}
            - type: Hostname
              address: {{ .metadata.name | Quote }}
            daemonEndpoints:
              kubeletEndpoint:
                Port: {{ NodePort }}
            nodeInfo:
              architecture: amd64
              operatingSystem: linux
              osImage: cnai sim (kwok)
              kernelVersion: simulated
              containerRuntimeVersion: "kwok://simulated"
              kubeletVersion: "${KUBELET_VERSION}"
              kubeProxyVersion: "${KUBELET_VERSION}"
              machineID: {{ .metadata.uid | Quote }}
              systemUUID: {{ .metadata.uid | Quote }}
              bootID: {{ .metadata.uid | Quote }}
      ---
      apiVersion: kwok.x-k8s.io/v1alpha1
      kind: Stage
      metadata:
        name: cnai-pod-running
      spec:
        resourceRef:
          apiGroup: v1
          kind: Pod
        selector:
          matchExpressions:
          - key: .metadata.deletionTimestamp
            operator: DoesNotExist
          - key: .spec.nodeName
            operator: Exists
          - key: .status.podIP
            operator: DoesNotExist
        next:
          statusTemplate: |
            {{ $now := Now }}
            phase: Running
            startTime: {{ $now | Quote }}
            hostIP: {{ NodeIPWith .spec.nodeName | Quote }}
            podIP: {{ PodIPWith .spec.nodeName ( or .spec.hostNetwork false ) ( or .metadata.uid "" ) ( or .metadata.name "" ) ( or .metadata.namespace "" ) | Quote }}
            conditions:
            - type: PodReadyToStartContainers
              status: "True"
              lastTransitionTime: {{ $now | Quote }}
            - type: Initialized
              status: "True"
              lastTransitionTime: {{ $now | Quote }}
            - type: ContainersReady
              status: "True"
              lastTransitionTime: {{ $now | Quote }}
            - type: Ready
              status: "True"
              lastTransitionTime: {{ $now | Quote }}
            {{ if .spec.initContainers }}
            initContainerStatuses:
            {{ range .spec.initContainers }}
            - name: {{ .name | Quote }}
              image: {{ .image | Quote }}
              ready: true
              restartCount: 0
              state:
                terminated:
                  exitCode: 0
                  reason: Completed
                  startedAt: {{ $now | Quote }}
                  finishedAt: {{ $now | Quote }}
            {{ end }}
            {{ end }}
            containerStatuses:
            {{ range .spec.containers }}
            - name: {{ .name | Quote }}
              image: {{ .image | Quote }}
              ready: true
              started: true
              restartCount: 0
              state:
                running:
                  startedAt: {{ $now | Quote }}
            {{ end }}
      ---
      # Pods that are meant to finish (Job pods: restartPolicy Never or OnFailure) succeed a moment
      # after they run.
      apiVersion: kwok.x-k8s.io/v1alpha1
      kind: Stage
      metadata:
        name: cnai-pod-succeeded
      spec:
        resourceRef:
          apiGroup: v1
          kind: Pod
        selector:
          matchExpressions:
          - key: .metadata.deletionTimestamp
            operator: DoesNotExist
          - key: .status.phase
            operator: In
            values: ["Running"]
          - key: .spec.restartPolicy
            operator: In
            values: ["Never", "OnFailure"]
        delay:
          durationMilliseconds: 1000
        next:
          statusTemplate: |
            {{ $now := Now }}
            phase: Succeeded
            conditions:
            - type: Ready
              status: "False"
              reason: PodCompleted
              lastTransitionTime: {{ $now | Quote }}
            - type: ContainersReady
              status: "False"
              reason: PodCompleted
              lastTransitionTime: {{ $now | Quote }}
            containerStatuses:
            {{ range .spec.containers }}
            - name: {{ .name | Quote }}
              image: {{ .image | Quote }}
              ready: false
              started: false
              restartCount: 0
              state:
                terminated:
                  exitCode: 0
                  reason: Completed
                  startedAt: {{ $now | Quote }}
                  finishedAt: {{ $now | Quote }}
            {{ end }}
      ---
      # A pod being deleted goes away at once: finalizers cleared, then deleted, as a kubelet would
      # after its containers stopped.
      apiVersion: kwok.x-k8s.io/v1alpha1
      kind: Stage
      metadata:
        name: cnai-pod-gone
      spec:
        resourceRef:
          apiGroup: v1
          kind: Pod
        selector:
          matchExpressions:
          - key: .metadata.deletionTimestamp
            operator: Exists
        next:
          finalizers:
            empty: true
          delete: true
      """;
}
