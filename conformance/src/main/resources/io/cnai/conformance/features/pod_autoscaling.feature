@pod_autoscaling @MUST @v1.33 @v1.34 @v1.35 @v1.36
Feature: pod_autoscaling - accelerator workloads scale on custom AI metrics

  @needs-gpu-nodes
  Scenario: An autoscaler on a custom metric is accepted for a deployment of accelerator pods
    When I create a deployment "model" of 2 replicas each requesting 1 "nvidia.com/gpu"
    Then the 2 pods of "model" are scheduled onto nodes that advertise "nvidia.com/gpu"
    When I create an autoscaler for "model" from 1 to 4 replicas on the pods metric "num_requests_waiting" averaging 5
    Then the autoscaler of "model" reads back with the pods metric "num_requests_waiting"

  @needs-stack
  Scenario: The custom metrics API is served
    Then the aggregated API "v1beta1.custom.metrics.k8s.io" is available

  @needs-stack @needs-containers @needs-gpu
  Scenario: Raising the metric scales up; lowering it scales down
    When the workload check "an inference server's queue-length metric rises under load and the autoscaler adds replicas; it falls and replicas are removed" runs
