@advanced_inference_ingress @SHOULD @v1.36
Feature: advanced_inference_ingress - model-aware routing through the Gateway API Inference Extension

  @needs-stack
  Scenario: The Inference Extension is served
    Then the CustomResourceDefinition "inferencepools.inference.networking.k8s.io" is Established

  @needs-stack @needs-containers
  Scenario: Requests are routed by model
    When the workload check "the Inference Extension conformance checks pass against the platform's GatewayClass" runs
