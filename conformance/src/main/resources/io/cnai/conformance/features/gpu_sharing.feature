@gpu_sharing @SHOULD @v1.35 @v1.36
Feature: gpu_sharing - one accelerator can be shared statically

  @needs-gpu @needs-containers
  Scenario: Several pods run healthy on one physical GPU
    When the workload check "with time-slicing or MIG configured, more pods than physical GPUs each get a share and all run healthy" runs
