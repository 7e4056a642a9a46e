@component-volcano @MUST
Feature: component volcano - installed, ready, and its upstream smoke test passes

  @needs-stack
  Scenario: The component is deployed and ready
    Given the stack includes the component "volcano"
    Then the stack component "volcano" is deployed and its workloads are available
    And the CustomResourceDefinition "podgroups.scheduling.volcano.sh" is Established

  @needs-stack @needs-containers
  Scenario: The upstream smoke test passes
    Given the stack includes the component "volcano"
    When the workload check "with the cluster filled, a Volcano Job with minAvailable equal to its replicas stays Pending; once capacity frees it runs and completes" runs
