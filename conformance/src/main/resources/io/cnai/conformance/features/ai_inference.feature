@ai_inference @MUST @v1.33 @v1.34 @v1.35 @v1.36
Feature: ai_inference - a Gateway API implementation routes inference traffic

  @needs-stack
  Scenario: The Gateway API is served
    Then the CustomResourceDefinition "gateways.gateway.networking.k8s.io" is Established
    And the CustomResourceDefinition "httproutes.gateway.networking.k8s.io" is Established

  @needs-stack @needs-containers
  Scenario: Weighted and header-matched routes are accepted and route traffic
    When the workload check "an HTTPRoute splitting 90/10 between two backends and one matching an OpenAI model header reach Accepted=True on the gateway and route requests as declared" runs
