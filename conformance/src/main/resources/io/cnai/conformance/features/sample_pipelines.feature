@sample-pipelines @MUST @needs-containers
Feature: sample pipelines - cnai's samples train, register and serve a model on the cluster's nodes
  cnai's own end-to-end checks, not requirements of the program's checklist: the digits sample of
  sample-pipelines/ as Jobs from the sample-pipelines image (data, training, MLflow registration,
  a query of the served model over the V2 inference protocol by the Service's DNS name), against
  the starter release's MLflow and model server. Where those are missing the scenarios are not
  run, with the command that installs them; 'cnai up' makes a cluster that has them.

  Scenario: digits trains, registers in MLflow and its served model predicts the held-out digits
    When the sample pipeline "digits" runs on the cluster, its served model to reach an accuracy of 0.9
    Then the sample pipeline passed
    And its step "register" registered a version of the model "cnai-digits" in MLflow
    And its step "check" reported an accuracy of at least 0.9

  @needs-gpu
  Scenario: digits-gpu trains on a GPU of the cluster
    When the sample pipeline "digits-gpu" runs on the cluster, its served model to reach an accuracy of 0.9
    Then the sample pipeline passed
    And its step "train" reported "device" "cuda"
