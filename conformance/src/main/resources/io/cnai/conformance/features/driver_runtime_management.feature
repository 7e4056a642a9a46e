@driver_runtime_management @SHOULD @v1.35 @v1.36
Feature: driver_runtime_management - driver and runtime versions can be verified

  @needs-gpu
  Scenario: Every GPU node states its driver and CUDA runtime versions
    Then every node that advertises "nvidia.com/gpu" carries the labels "nvidia.com/cuda.driver-version.full, nvidia.com/cuda.runtime-version.full"

  @needs-gpu @needs-containers
  Scenario: The versions a pod reads match what the node states
    When the workload check "a pod with one GPU reads the driver and CUDA versions from nvidia-smi and they equal the node's labels" runs
