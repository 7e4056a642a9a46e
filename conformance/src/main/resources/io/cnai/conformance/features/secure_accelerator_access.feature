@secure_accelerator_access @MUST @v1.33 @v1.34 @v1.35 @v1.36
Feature: secure_accelerator_access - only pods that ask get an accelerator, and namespaces are fenced

  @needs-gpu-nodes
  Scenario: A pod asking for a GPU is placed only on a node that has GPUs
    When I run a pod "trainer" requesting 1 "nvidia.com/gpu"
    Then the pod "trainer" is scheduled onto a node that advertises "nvidia.com/gpu"

  @needs-gpu-nodes
  Scenario: A pod without a GPU request gets no GPU, even on a GPU node
    When I run a pod "plain" without an accelerator request on a node labelled "nvidia.com/gpu.present=true"
    Then the pod "plain" is scheduled and none of its containers is allotted "nvidia.com/gpu"

  Scenario: A pod asking for more GPUs than any node has is not placed
    When I run a pod "greedy" requesting 1000 "nvidia.com/gpu"
    Then the pod "greedy" stays unschedulable because of insufficient "nvidia.com/gpu"

  Scenario: A namespace's GPU quota is enforced
    Given my namespace has a quota of 1 "nvidia.com/gpu"
    When I run a pod "first" requesting 1 "nvidia.com/gpu"
    Then a pod "second" requesting 1 "nvidia.com/gpu" is refused by the quota

  Scenario: RBAC keeps one team's accelerator workloads out of another team's namespace
    Given namespaces "team-a" and "team-b"
    And a service account "runner" in "team-a" bound to the ClusterRole "edit" in "team-a"
    Then "runner" of "team-a" can create a pod requesting 1 "nvidia.com/gpu" in "team-a"
    And "runner" of "team-a" is forbidden to create a pod requesting 1 "nvidia.com/gpu" in "team-b"
    And "runner" of "team-a" is forbidden to list the pods of "team-b"

  @needs-gpu @needs-containers
  Scenario: A container without a request sees no device; one with a request sees only its own
    When the workload check "a pod without a GPU request finds no GPU device (nvidia-smi fails); two pods with one GPU each see different device UUIDs" runs
