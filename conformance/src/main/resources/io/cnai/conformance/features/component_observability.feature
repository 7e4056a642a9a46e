@component-observability @MUST
Feature: component observability - installed, ready, and its upstream smoke test passes

  @needs-stack
  Scenario: The component is deployed and ready
    Given the stack includes the component "kube-prometheus-stack"
    Then the stack component "kube-prometheus-stack" is deployed and its workloads are available
    And the CustomResourceDefinition "prometheuses.monitoring.coreos.com" is Established

  @needs-stack @needs-containers
  Scenario: The upstream smoke test passes
    Given the stack includes the component "kube-prometheus-stack"
    When the workload check "Prometheus is ready and its targets include the cnai components' ServiceMonitors, all up" runs
