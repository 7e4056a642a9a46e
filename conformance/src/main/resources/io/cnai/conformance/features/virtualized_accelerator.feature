@virtualized_accelerator @SHOULD @v1.35 @v1.36
Feature: virtualized_accelerator - virtual accelerators are exposed like fractional ones

  @needs-gpu @needs-containers
  Scenario: A pod with a vGPU runs and passes a health check
    When the workload check "a pod requesting a vGPU profile runs and its device health check passes" runs
