@accelerator_metrics @MUST @v1.33 @v1.34 @v1.35 @v1.36
Feature: accelerator_metrics - per-accelerator metrics are exposed

  @needs-stack @needs-gpu
  Scenario: The DCGM exporter serves utilization and memory per GPU
    Given the stack includes the component "gpu-operator"
    Then the service "nvidia-dcgm-exporter" in "gpu-operator" serves the metrics "DCGM_FI_DEV_GPU_UTIL, DCGM_FI_DEV_FB_USED" on port 9400

  @needs-stack @needs-gpu @needs-containers
  Scenario: Utilization follows load
    When the workload check "a GPU load pod raises DCGM_FI_DEV_GPU_UTIL of its device above idle" runs
