@component-jupyterhub @MUST
Feature: component jupyterhub - installed, ready, and its upstream smoke test passes

  @needs-stack
  Scenario: The component is deployed and ready
    Given the stack includes the component "jupyterhub"
    Then the stack component "jupyterhub" is deployed and its workloads are available

  @needs-stack @needs-containers
  Scenario: The upstream smoke test passes
    Given the stack includes the component "jupyterhub"
    When the workload check "the hub API starts a user's server, it becomes ready and answers; deleting it returns 204" runs
