@ai_service_metrics @MUST @v1.33 @v1.34 @v1.35 @v1.36
Feature: ai_service_metrics - monitoring discovers and scrapes workload metrics

  @needs-stack
  Scenario: Workload metrics can be declared to the monitoring stack
    Given the stack includes the component "kube-prometheus-stack"
    Then the CustomResourceDefinition "servicemonitors.monitoring.coreos.com" is Established
    And the stack component "kube-prometheus-stack" is deployed and its workloads are available

  @needs-stack @needs-containers
  Scenario: A workload's Prometheus metrics are scraped and can be queried back
    When the workload check "an inference server with a ServiceMonitor gets traffic; its request counter is queried back from Prometheus" runs
