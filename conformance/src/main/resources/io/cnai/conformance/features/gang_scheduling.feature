@gang_scheduling @MUST @v1.33 @v1.34 @v1.35 @v1.36
Feature: gang_scheduling - an all-or-nothing scheduler is installed and works
  A gang of N pods runs whole or not at all. The cnai stack brings Kueue and Volcano.

  @needs-stack
  Scenario: An all-or-nothing scheduler is installed
    Then one of the CustomResourceDefinitions "workloads.kueue.x-k8s.io, podgroups.scheduling.volcano.sh" is Established

  @needs-stack @needs-containers
  Scenario: A gang that fits runs whole; a gang larger than the free capacity gets no pod running
    When the workload check "Kueue: a Job of parallelism N in a LocalQueue is admitted and all N pods run and complete; with quota for fewer than N, its Workload stays unadmitted and no pod runs" runs
