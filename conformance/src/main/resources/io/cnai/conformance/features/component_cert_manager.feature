@component-cert-manager @MUST
Feature: component cert-manager - installed, ready, and its upstream smoke test passes

  @needs-stack
  Scenario: The component is deployed and ready
    Given the stack includes the component "cert-manager"
    Then the stack component "cert-manager" is deployed and its workloads are available
    And the CustomResourceDefinition "certificates.cert-manager.io" is Established

  @needs-stack @needs-containers
  Scenario: The upstream smoke test passes
    Given the stack includes the component "cert-manager"
    When the workload check "a self-signed Issuer issues a Certificate; it becomes Ready and its Secret holds a key pair" runs
