@component-kserve @MUST
Feature: component kserve - installed, ready, and its upstream smoke test passes

  @needs-stack
  Scenario: The component is deployed and ready
    Given the stack includes the component "kserve"
    Then the stack component "kserve" is deployed and its workloads are available
    And the CustomResourceDefinition "inferenceservices.serving.kserve.io" is Established

  @needs-stack @needs-containers
  Scenario: The upstream smoke test passes
    Given the stack includes the component "kserve"
    When the workload check "an sklearn iris InferenceService becomes Ready and predicts [1,1] for the two sample instances; without a token the call is refused" runs
