@component-kubeflow-trainer @MUST
Feature: component kubeflow-trainer - installed, ready, and its upstream smoke test passes

  @needs-stack
  Scenario: The component is deployed and ready
    Given the stack includes the component "kubeflow-trainer"
    Then the stack component "kubeflow-trainer" is deployed and its workloads are available
    And the CustomResourceDefinition "trainjobs.trainer.kubeflow.org" is Established

  @needs-stack @needs-containers
  Scenario: The upstream smoke test passes
    Given the stack includes the component "kubeflow-trainer"
    When the workload check "a TrainJob on the torch-distributed runtime creates its JobSet and reaches condition Complete" runs
