@dra_support @MUST @v1.33 @v1.34 @v1.35
Feature: dra_support - the Dynamic Resource Allocation APIs are served
  Workloads can ask for accelerators by attributes, not only by count, through resource.k8s.io.
  (SHOULD in the 1.33 checklist, MUST in 1.34 and 1.35; from 1.36 the Kubernetes conformance suite covers it.)

  Scenario: All DRA kinds are served in resource.k8s.io/v1
    Then the API server serves the kinds "DeviceClass, ResourceClaim, ResourceClaimTemplate, ResourceSlice" in "resource.k8s.io/v1"

  Scenario: A ResourceClaim for a DeviceClass is stored and read back
    Given a DeviceClass that selects the devices of driver "gpu.example.com"
    When I create a ResourceClaim for 1 device of that class
    Then the ResourceClaim reads back asking for 1 device of that class
    And a ResourceClaim whose device class name is "Not A Valid Name" is rejected as invalid

  @needs-gpu @needs-containers
  Scenario: A DRA driver publishes the node's accelerators and a claim gets one
    When the workload check "a DRA driver publishes ResourceSlices for the real accelerators; a pod with a ResourceClaimTemplate of its DeviceClass runs with exactly one allocated device" runs
