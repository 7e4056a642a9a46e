@robust_controller @MUST @v1.33 @v1.34 @v1.35 @v1.36
Feature: robust_controller - a complex AI operator with CRDs works
  Its CRDs are Established and served, invalid resources are rejected, valid ones reconcile.

  Scenario: A CRD becomes Established and its schema is enforced by the API server
    Given a CustomResourceDefinition whose schema requires "spec.replicas" to be an integer of at least 1
    Then the CustomResourceDefinition becomes Established
    And a custom resource with "spec.replicas" set to 2 is accepted and reads back unchanged
    And a custom resource with "spec.replicas" set to 0 is rejected as invalid
    And a custom resource without "spec.replicas" is rejected as invalid

  @needs-stack
  Scenario: The KubeRay operator runs and its CRDs are served
    Given the stack includes the component "kuberay-operator"
    Then the CustomResourceDefinition "rayclusters.ray.io" is Established
    And the CustomResourceDefinition "rayjobs.ray.io" is Established
    And the stack component "kuberay-operator" is deployed and its workloads are available

  @needs-stack
  Scenario: An invalid RayCluster is rejected
    Given the stack includes the component "kuberay-operator"
    Then a "RayCluster" of "ray.io/v1" with the spec "{\"headGroupSpec\": \"not-an-object\"}" is rejected as invalid

  @needs-stack @needs-containers
  Scenario: A valid RayJob reconciles to completion
    When the workload check "a sample RayJob reaches jobDeploymentStatus Complete and jobStatus SUCCEEDED; its RayCluster becomes ready" runs
