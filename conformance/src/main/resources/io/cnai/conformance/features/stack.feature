@stack @MUST @needs-stack
Feature: stack - the installed cnai stack is whole, as locked, and unchanged
  Read from the last deployed stack revision in cnai-system.

  Scenario: Every component is ready
    Given the last deployed stack revision
    Then every component of the revision is deployed and its workloads are available

  Scenario: Every component runs the version and digest of the lock
    Given the last deployed stack revision
    Then every component's version and digest match the lockfile of the revision's distribution

  Scenario: Nothing drifted from what cnai applied
    Given the last deployed stack revision
    Then every component's Helm release is at the revision cnai recorded
