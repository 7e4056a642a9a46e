"""queued-training: train_ddp.py under torchrun with two gloo processes; the TrainJob asks for two
nodes through a Kueue LocalQueue that exists in queue.yaml."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import yaml
from conftest import ROOT, free_port


def test_two_process_ddp_training(tmp_path, record_property):
    out = tmp_path / "out"
    env = {**os.environ, "OMP_NUM_THREADS": "1", "CUDA_VISIBLE_DEVICES": ""}
    proc = subprocess.run(
        [sys.executable, "-m", "torch.distributed.run", "--nnodes=1", "--nproc_per_node=2",
         "--master_addr=127.0.0.1", f"--master_port={free_port()}",
         str(ROOT / "queued-training" / "train_ddp.py"), "--epochs=20", f"--output={out}"],
        env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]

    ranks = [json.loads((out / f"rank-{r}.json").read_text()) for r in (0, 1)]
    assert [r["world_size"] for r in ranks] == [2, 2]
    assert {r["backend"] for r in ranks} == {"gloo"}
    # Gradients were all-reduced: both replicas end with the same parameters.
    assert ranks[0]["param_checksum"] == ranks[1]["param_checksum"]
    # Each rank trained on its own half (DistributedSampler pads one row when the count is odd).
    shard0, shard1 = set(ranks[0]["shard"]), set(ranks[1]["shard"])
    assert len(shard0 & shard1) <= 1 and len(shard0 | shard1) == 1347
    assert ranks[0]["samples_seen"] == ranks[1]["samples_seen"] == 20 * 674
    result = json.loads((out / "result.json").read_text())
    record_property("accuracy", result["accuracy"])
    assert result["world_size"] == 2 and result["accuracy"] >= 0.9


def test_trainjob_is_gang_queued_in_kueue():
    job = yaml.safe_load((ROOT / "queued-training" / "trainjob.yaml").read_text())
    queues = list(yaml.safe_load_all((ROOT / "queued-training" / "queue.yaml").read_text()))
    assert job["apiVersion"] == "trainer.kubeflow.org/v1alpha1" and job["kind"] == "TrainJob"
    assert job["spec"]["trainer"]["numNodes"] == 2
    assert job["spec"]["runtimeRef"]["name"] == "torch-distributed"
    local_queues = {q["metadata"]["name"]: q for q in queues if q["kind"] == "LocalQueue"}
    cluster_queues = {q["metadata"]["name"]: q for q in queues if q["kind"] == "ClusterQueue"}
    queue = job["metadata"]["labels"]["kueue.x-k8s.io/queue-name"]
    assert queue in local_queues
    assert local_queues[queue]["spec"]["clusterQueue"] in cluster_queues
    command = job["spec"]["trainer"]["command"]
    assert command[0] == "torchrun"
    assert command[1] == "/opt/cnai/sample-pipelines/queued-training/train_ddp.py"
    assert (ROOT / "queued-training" / "train_ddp.py").is_file()
    # The quota admits the whole two-node job at once.
    cpu_quota = next(r["nominalQuota"] for r in cluster_queues[local_queues[queue]["spec"]["clusterQueue"]]
                     ["spec"]["resourceGroups"][0]["flavors"][0]["resources"] if r["name"] == "cpu")
    per_node = job["spec"]["trainer"]["resourcesPerNode"]["requests"]["cpu"]
    assert int(cpu_quota) == 2 * int(per_node)
