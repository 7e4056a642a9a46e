@component-kueue @MUST
Feature: component kueue - installed, ready, and its upstream smoke test passes

  @needs-stack
  Scenario: The component is deployed and ready
    Given the stack includes the component "kueue"
    Then the stack component "kueue" is deployed and its workloads are available
    And the CustomResourceDefinition "clusterqueues.kueue.x-k8s.io" is Established

  @needs-stack @needs-containers
  Scenario: The upstream smoke test passes
    Given the stack includes the component "kueue"
    When the workload check "a suspended Job with a queue-name label gets its Workload QuotaReserved then Admitted, is unsuspended and completes; a Job over the quota stays suspended" runs
