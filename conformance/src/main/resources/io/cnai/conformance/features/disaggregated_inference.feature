@disaggregated_inference @SHOULD @v1.36
Feature: disaggregated_inference - prefill and decode run in separate pods

  @needs-stack @needs-containers @needs-gpu
  Scenario: A request through the gateway is served by separate prefill and decode pods
    When the workload check "a request through the gateway succeeds and the prefill and decode pods log the same request id" runs
