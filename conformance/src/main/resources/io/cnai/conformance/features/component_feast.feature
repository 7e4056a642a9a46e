@component-feast @MUST
Feature: component feast - installed, ready, and its upstream smoke test passes

  @needs-stack
  Scenario: The component is deployed and ready
    Given the stack includes the component "feast-operator"
    Then the stack component "feast-operator" is deployed and its workloads are available
    And the CustomResourceDefinition "featurestores.feast.dev" is Established

  @needs-stack @needs-containers
  Scenario: The upstream smoke test passes
    Given the stack includes the component "feast-operator"
    When the workload check "a FeatureStore becomes Ready; feast apply, materialize and get_online_features return the features" runs
