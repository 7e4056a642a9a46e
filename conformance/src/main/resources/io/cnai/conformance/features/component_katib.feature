@component-katib @MUST
Feature: component katib - installed, ready, and its upstream smoke test passes

  @needs-stack
  Scenario: The component is deployed and ready
    Given the stack includes the component "katib"
    Then the stack component "katib" is deployed and its workloads are available
    And the CustomResourceDefinition "experiments.kubeflow.org" is Established

  @needs-stack @needs-containers
  Scenario: The upstream smoke test passes
    Given the stack includes the component "katib"
    When the workload check "a grid Experiment with two trials runs and both Trials end Succeeded" runs
