@component-gpu-operator @MUST
Feature: component gpu-operator - installed, ready, and its upstream smoke test passes

  @needs-stack
  Scenario: The component is deployed and ready
    Given the stack includes the component "gpu-operator"
    Then the stack component "gpu-operator" is deployed and its workloads are available
    And the CustomResourceDefinition "clusterpolicies.nvidia.com" is Established

  @needs-stack @needs-containers @needs-gpu
  Scenario: The upstream smoke test passes
    Given the stack includes the component "gpu-operator"
    When the workload check "the ClusterPolicy is ready; the validator pods run vectorAdd; a pod with one GPU completes vectorAdd with Test PASSED" runs
