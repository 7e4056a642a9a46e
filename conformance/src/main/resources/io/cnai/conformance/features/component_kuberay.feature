@component-kuberay @MUST
Feature: component kuberay - installed, ready, and its upstream smoke test passes

  @needs-stack
  Scenario: The component is deployed and ready
    Given the stack includes the component "kuberay-operator"
    Then the stack component "kuberay-operator" is deployed and its workloads are available
    And the CustomResourceDefinition "rayjobs.ray.io" is Established

  @needs-stack @needs-containers
  Scenario: The upstream smoke test passes
    Given the stack includes the component "kuberay-operator"
    When the workload check "a sample RayJob reaches jobDeploymentStatus Complete and jobStatus SUCCEEDED; the dashboard answers /api/version" runs
