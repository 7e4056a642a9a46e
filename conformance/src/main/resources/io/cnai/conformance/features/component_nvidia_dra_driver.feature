@component-nvidia-dra-driver @MUST
Feature: component nvidia-dra-driver - installed, ready, and its upstream smoke test passes

  @needs-stack
  Scenario: The component is deployed and ready
    Given the stack includes the component "nvidia-dra-driver"
    Then the stack component "nvidia-dra-driver" is deployed and its workloads are available

  @needs-stack @needs-containers @needs-gpu
  Scenario: The upstream smoke test passes
    Given the stack includes the component "nvidia-dra-driver"
    When the workload check "the driver publishes ResourceSlices for every GPU; a pod with a ResourceClaimTemplate of class gpu.nvidia.com runs nvidia-smi" runs
