@component-kubeflow-notebooks @MUST
Feature: component kubeflow-notebooks - installed, ready, and its upstream smoke test passes

  @needs-stack
  Scenario: The component is deployed and ready
    Given the stack includes the component "kubeflow-notebooks"
    Then the stack component "kubeflow-notebooks" is deployed and its workloads are available
    And the CustomResourceDefinition "notebooks.kubeflow.org" is Established

  @needs-stack @needs-containers
  Scenario: The upstream smoke test passes
    Given the stack includes the component "kubeflow-notebooks"
    When the workload check "a Notebook's pod becomes Ready" runs
