@high_performance_networking @SHOULD @v1.36
Feature: high_performance_networking - secondary NICs are discoverable and attachable

  @needs-containers
  Scenario: A pod gets a secondary NIC published as a device
    When the workload check "a network DRA driver publishes NIC attributes; a pod claiming one gets the interface and traffic flows over it" runs
