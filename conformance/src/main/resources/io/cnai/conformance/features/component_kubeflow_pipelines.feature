@component-kubeflow-pipelines @MUST
Feature: component kubeflow-pipelines - installed, ready, and its upstream smoke test passes

  @needs-stack
  Scenario: The component is deployed and ready
    Given the stack includes the component "kubeflow-pipelines"
    Then the stack component "kubeflow-pipelines" is deployed and its workloads are available

  @needs-stack @needs-containers
  Scenario: The upstream smoke test passes
    Given the stack includes the component "kubeflow-pipelines"
    When the workload check "a hello-world v2 pipeline run in a profile namespace ends SUCCEEDED" runs
