@cluster_autoscaling @MUST @v1.33 @v1.34 @v1.35 @v1.36
Feature: cluster_autoscaling - accelerator node groups follow pending pods
  Applies when the platform offers a cluster autoscaler.

  Scenario: The platform offers a cluster autoscaler, or the requirement does not apply
    Given the cluster offers a cluster autoscaler

  @needs-containers @needs-gpu
  Scenario: Pending accelerator pods add a node; deleting them removes it again
    Given the cluster offers a cluster autoscaler
    When the workload check "N+1 pods each asking for the GPUs of one node make the autoscaler add a node; deleting them shrinks the group back to N" runs
