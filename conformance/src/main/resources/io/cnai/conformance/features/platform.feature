@platform @SHOULD @needs-containers
Feature: platform - workloads run on the cluster's nodes: Jobs, Services by DNS name, storage
  cnai's own checks of what the AI stack stands on, not requirements of the program's checklist:
  they run where containers run, with a busybox image (on a cnai local cluster, the one its nodes
  hold; elsewhere docker.io/library/busybox:1.36).

  Scenario: A Job runs to completion
    When a Job "count" runs "seq 1 3"
    Then the Job "count" succeeds and its pod's log says "3"

  Scenario: A pod reaches a Service by its DNS name
    Given a web server "web" behind a Service of the same name
    Then a pod reaches "http://web/" and reads "served by web"

  Scenario: A claim of the default StorageClass binds and keeps data across pods
    When a pod writes "kept across pods" to a claim "data" of the default StorageClass
    Then the claim "data" is bound and a second pod reads "kept across pods" from it
