"""digits_cluster: the steps `cnai e2e run` runs as Jobs on a cluster, run here as processes in the
same order against a real MLflow server: prepare, train, register, serve (from the registry, waiting
for the first version, then picking up a newer one) and check over the V2 protocol."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

import requests
from conftest import ROOT, free_port, stop, wait_http

ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(str(ROOT / d) for d in ("common", "digits", "cluster"))}


def step(*args: str, check: bool = True) -> tuple[int, dict, str]:
    p = subprocess.run([sys.executable, "-m", "digits_cluster", *args], env=ENV, capture_output=True, text=True,
                       timeout=600)
    results = [json.loads(line[len("RESULT "):]) for line in p.stdout.splitlines() if line.startswith("RESULT ")]
    if check:
        assert p.returncode == 0, p.stdout[-2000:] + p.stderr[-4000:]
        assert len(results) == 1, p.stdout
    return p.returncode, (results[-1] if results else {}), p.stderr


def test_steps_end_to_end_against_mlflow(tmp_path, mlflow_server, record_property):
    work = str(tmp_path / "work")
    model = "digits-cluster-test"
    port = free_port()
    log = tmp_path / "serve.log"
    with open(log, "w") as out:
        server = subprocess.Popen([sys.executable, "-m", "digits_cluster", "serve", "--tracking-uri", mlflow_server,
                                   "--model", model, "--http_port", str(port), "--poll-s", "1"],
                                  env=ENV, stdout=out, stderr=subprocess.STDOUT)
    try:
        _, prepared, _ = step("prepare", "--workdir", work)
        assert prepared == {"step": "prepare", "train": 1347, "test": 450}
        _, trained, _ = step("train", "--workdir", work, "--epochs", "20", "--device", "cpu")
        assert trained["device"] == "cpu" and trained["accuracy"] >= 0.9
        # no version registered yet: the server waits and does not listen
        try:
            requests.get(f"http://127.0.0.1:{port}/v2/health/live", timeout=2)
            raise AssertionError("the model server answered before a model was registered")
        except requests.ConnectionError:
            pass
        _, registered, _ = step("register", "--workdir", work, "--tracking-uri", mlflow_server, "--model", model)
        assert registered["version"] == 1 and registered["accuracy"] == trained["accuracy"]
        wait_http(f"http://127.0.0.1:{port}/v2/models/digits/ready", server, log, timeout_s=240)
        _, checked, _ = step("check", "--server", f"http://127.0.0.1:{port}", "--min-accuracy", "0.9")
        assert checked["images"] == 450
        assert abs(checked["accuracy"] - trained["accuracy"]) < 1e-9, "the server must serve the model trained"
        record_property("served_accuracy", checked["accuracy"])
        # a bar the model cannot reach fails the check, with the reason
        rc, _, err = step("check", "--server", f"http://127.0.0.1:{port}", "--min-accuracy", "0.999", check=False)
        assert rc == 1 and "below 0.999" in err
        # a newer version is picked up by the running server
        step("register", "--workdir", work, "--tracking-uri", mlflow_server, "--model", model)
        wait_http(f"http://127.0.0.1:{port}/v2/models/digits/ready", server, log, timeout_s=60)
        deadline = time.monotonic() + 60
        while "loaded " + model + " version 2" not in log.read_text():
            assert time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(1)
    finally:
        stop(server)


def test_cuda_asked_without_a_gpu_is_refused(tmp_path):
    import torch
    if torch.cuda.is_available():
        pytest.skip("not run: a CUDA GPU is present; training on it is gpu-check.sh's and digits-gpu's")
    work = str(tmp_path / "work")
    step("prepare", "--workdir", work)
    rc, result, err = step("train", "--workdir", work, "--device", "cuda", check=False)
    assert rc == 3 and result == {} and "torch sees no CUDA GPU" in err


def test_ddp_two_workers_as_the_cluster_runs_them(tmp_path, record_property):
    """queued-training's step: two `digits_cluster ddp` processes (the two pods of the Indexed Job),
    rank from JOB_COMPLETION_INDEX, meeting at worker 0's address; each prints its RESULT line."""
    port = str(free_port())
    env = {**ENV, "OMP_NUM_THREADS": "1", "CUDA_VISIBLE_DEVICES": ""}
    procs = [subprocess.Popen([sys.executable, "-m", "digits_cluster", "ddp", "--master-addr", "localhost",
                               "--master-port", port, "--epochs", "20", "--workdir", str(tmp_path / f"w{i}")],
                              env={**env, "JOB_COMPLETION_INDEX": str(i)}, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for i in (0, 1)]
    outs = [p.communicate(timeout=300) for p in procs]
    for p, (out, err) in zip(procs, outs):
        assert p.returncode == 0, out[-2000:] + err[-3000:]
    results = [[json.loads(line[len("RESULT "):]) for line in out.splitlines() if line.startswith("RESULT ")][-1]
               for out, _ in outs]
    assert [r["rank"] for r in results] == [0, 1]
    assert [r["world_size"] for r in results] == [2, 2]
    assert results[0]["samples_seen"] == results[1]["samples_seen"] == 20 * 674  # each its own half
    assert "accuracy" not in results[1]
    record_property("accuracy", results[0]["accuracy"])
    assert results[0]["accuracy"] >= 0.9


def test_ddp_gives_up_on_a_master_that_never_resolves(tmp_path):
    rc, _, err = step("ddp", "--master-addr", "no-such-worker-0.invalid", "--wait-s", "2",
                      "--workdir", str(tmp_path), check=False)
    assert rc != 0 and "did not resolve within 2" in err
