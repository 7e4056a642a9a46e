"""digits: the KFP pipeline compiles to the committed IR, runs end to end on KFP's local subprocess
runner against a real MLflow server, and its KServe model server speaks the V2 protocol."""
from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
import requests
import torch
import yaml
from conftest import ROOT, free_port, stop, wait_http

import cnai_digits
import digits_pipeline


def test_committed_ir_equals_a_fresh_compile(tmp_path):
    fresh = digits_pipeline.compile_pipeline(tmp_path / "digits_pipeline.yaml").read_text()
    committed = digits_pipeline.IR_PATH.read_text()
    assert fresh == committed, "digits_pipeline.yaml is stale: run `python digits/digits_pipeline.py`"
    ir = yaml.safe_load(committed)
    assert set(ir["root"]["dag"]["tasks"]) == {
        "prepare-data", "train", "evaluate", "log-to-mlflow", "serve-and-query"}
    # No step installs packages at start: the image holds the locked requirements.
    for executor in ir["deploymentSpec"]["executors"].values():
        assert "pip install" not in " ".join(executor["container"]["command"])


def test_pipeline_end_to_end_on_local_runner(tmp_path, mlflow_server, monkeypatch, record_property):
    from kfp import local
    from mlflow import MlflowClient

    local.init(runner=local.SubprocessRunner(use_venv=False), pipeline_root=str(tmp_path / "root"))
    run = digits_pipeline.digits_pipeline(tracking_uri=mlflow_server, experiment="e2e",
                                          registered_model="digits-e2e", epochs=20, min_accuracy=0.9)
    served_accuracy = run.output
    record_property("served_accuracy", served_accuracy)
    assert served_accuracy >= 0.9

    client = MlflowClient(tracking_uri=mlflow_server)
    versions = client.search_model_versions("name='digits-e2e'")
    assert [v.version for v in versions] == ["1"]
    version = versions[0]
    mlflow_run = client.get_run(version.run_id)
    assert mlflow_run.data.params["epochs"] == "20"
    assert mlflow_run.data.params["device"] in ("cpu", "cuda")
    # The evaluate step's accuracy and the served accuracy are the same model on the same rows.
    assert mlflow_run.data.metrics["accuracy"] == pytest.approx(served_accuracy, abs=1e-9)
    kserve_files = {a.path for a in client.list_artifacts(version.run_id, "kserve")}
    assert kserve_files == {"kserve/config.json", "kserve/state_dict.pt"}

    # The registered model loads back from the registry (as a generic pyfunc) and scores the
    # held-out rows exactly as the served copy did.
    import mlflow.pyfunc
    monkeypatch.setenv("MLFLOW_TRACKING_URI", mlflow_server)
    registered = mlflow.pyfunc.load_model(f"models:/digits-e2e/{version.version}")
    data = cnai_digits.load_split()
    logits = np.asarray(registered.predict(data.x_test))
    assert logits.shape == (len(data.x_test), 10)
    assert float((logits.argmax(1) == data.y_test).mean()) == pytest.approx(served_accuracy)


@pytest.fixture(scope="module")
def trained_model_dir(tmp_path_factory):
    model_dir = tmp_path_factory.mktemp("model")
    data = cnai_digits.load_split()
    model = cnai_digits.build_model(64)
    cnai_digits.train(model, data.x_train, data.y_train, epochs=20, device=torch.device("cpu"))
    torch.save(model.state_dict(), model_dir / "state_dict.pt")
    (model_dir / "config.json").write_text(json.dumps({"hidden": 64}))
    return model_dir, model, data


def test_kserve_server_answers_v2_infer(trained_model_dir, tmp_path):
    model_dir, model, data = trained_model_dir
    port = free_port()
    log = tmp_path / "server.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "digits" / "digits_server.py"), "--model_name", "digits",
             "--model_dir", str(model_dir), "--http_port", str(port), "--grpc_port", str(free_port()),
             "--workers", "1"], stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_http(f"{base}/v2/models/digits/ready", proc, log, timeout_s=120)
        x = data.x_test[:50]
        body = {"id": "req-1", "inputs": [{"name": "pixels", "shape": [50, 64], "datatype": "FP32",
                                           "data": x.ravel().tolist()}]}
        resp = requests.post(f"{base}/v2/models/digits/infer", json=body, timeout=30)
        assert resp.status_code == 200, resp.text
        answer = resp.json()
        assert answer["model_name"] == "digits"
        assert answer["id"] == "req-1"
        outputs = {o["name"]: o for o in answer["outputs"]}
        assert set(outputs) == {"predictions", "probabilities"}
        assert outputs["predictions"]["datatype"] == "INT64"
        assert outputs["predictions"]["shape"] == [50]
        assert outputs["probabilities"]["datatype"] == "FP32"
        assert outputs["probabilities"]["shape"] == [50, 10]
        preds = np.asarray(outputs["predictions"]["data"])
        probs = np.asarray(outputs["probabilities"]["data"]).reshape(50, 10)
        np.testing.assert_array_equal(preds, cnai_digits.predict(model, x))
        np.testing.assert_array_equal(preds, probs.argmax(1))
        np.testing.assert_allclose(probs.sum(1), 1.0, rtol=1e-5)
        assert (preds == data.y_test[:50]).mean() >= 0.9

        bad = {"inputs": [{"name": "pixels", "shape": [2, 3], "datatype": "FP32", "data": [0.0] * 6}]}
        resp = requests.post(f"{base}/v2/models/digits/infer", json=bad, timeout=30)
        assert resp.status_code == 400, resp.text
    finally:
        stop(proc)
