@component-mlflow @MUST
Feature: component mlflow - installed, ready, and its upstream smoke test passes

  @needs-stack
  Scenario: The component is deployed and ready
    Given the stack includes the component "mlflow"
    Then the stack component "mlflow" is deployed and its workloads are available

  @needs-stack @needs-containers
  Scenario: The upstream smoke test passes
    Given the stack includes the component "mlflow"
    When the workload check "the tracking server answers /health with OK; a metric logged through the REST API reads back" runs
