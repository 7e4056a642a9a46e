"""The digits sample as Kubernetes Jobs and Deployments, one step a process, run from the
sample-pipelines image (cnai.local/sample-pipelines:0.1.0) by `cnai e2e run`.

    python -m digits_cluster prepare  --workdir /work
    python -m digits_cluster train    --workdir /work --epochs 20 --device auto|cpu|cuda
    python -m digits_cluster register --workdir /work --tracking-uri http://mlflow.cnai-starter:5000
    python -m digits_cluster serve    --tracking-uri URI --model cnai-digits --http_port 8080
    python -m digits_cluster check    --server http://model-server.cnai-starter:8080 --min-accuracy 0.9
    python -m digits_cluster features --workdir /work     # feast-features: Feast's local provider
    python -m digits_cluster tune     --workdir /work     # ray-tune: Ray Tune on a Ray started in the pod
    python -m digits_cluster ddp      --master-addr HOST  # queued-training: one worker of a 2-worker torchrun job

The steps share a volume (--workdir). `register` logs to MLflow and registers the model; `serve` is
the KServe model server, which loads the newest registered version from MLflow's registry and
reloads when a newer one appears; `check` sends the held-out images through the V2 inference
protocol, by the Service's DNS name, and fails below the accuracy asked for. Each step prints one
JSON line starting with "RESULT " that cnai reads from the pod's log.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time

from pathlib import Path

import numpy as np

SAMPLES = Path(__file__).resolve().parent.parent


def result(**fields) -> None:
    print("RESULT " + json.dumps(fields, sort_keys=True), flush=True)


def prepare(args) -> None:
    import cnai_digits
    s = cnai_digits.load_split()
    os.makedirs(args.workdir, exist_ok=True)
    np.savez(os.path.join(args.workdir, "digits.npz"), x_train=s.x_train, y_train=s.y_train,
             x_test=s.x_test, y_test=s.y_test)
    result(step="prepare", train=len(s.y_train), test=len(s.y_test))


def train(args) -> None:
    import torch
    import cnai_digits
    if args.device == "cuda" and not torch.cuda.is_available():
        print("train: --device cuda asked, but torch sees no CUDA GPU", file=sys.stderr)
        sys.exit(3)
    device = cnai_digits.pick_device(args.device)
    data = np.load(os.path.join(args.workdir, "digits.npz"))
    model = cnai_digits.build_model(args.hidden)
    seconds = cnai_digits.train(model, data["x_train"], data["y_train"], epochs=args.epochs, lr=args.lr,
                                device=device)
    acc = float((cnai_digits.predict(model, data["x_test"]) == data["y_test"]).mean())
    out = os.path.join(args.workdir, "model")
    os.makedirs(out, exist_ok=True)
    torch.save({k: v.cpu() for k, v in model.state_dict().items()}, os.path.join(out, "state_dict.pt"))
    meta = {"hidden": args.hidden, "epochs": args.epochs, "lr": args.lr, "device": device.type,
            "accuracy": acc, "seconds_per_epoch": sum(seconds) / len(seconds)}
    if device.type == "cuda":
        meta["gpu"] = torch.cuda.get_device_name(0)
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump(meta, f)
    result(step="train", **meta)


def register(args) -> None:
    import mlflow
    import torch
    import cnai_digits
    with open(os.path.join(args.workdir, "model", "config.json")) as f:
        meta = json.load(f)
    net = cnai_digits.build_model(meta["hidden"])
    net.load_state_dict(torch.load(os.path.join(args.workdir, "model", "state_dict.pt"), weights_only=True))
    net.eval()
    example = np.load(os.path.join(args.workdir, "digits.npz"))["x_test"][:4]
    mlflow.set_tracking_uri(args.tracking_uri)
    mlflow.set_experiment(args.experiment)
    with mlflow.start_run() as run:
        mlflow.log_params({k: meta[k] for k in ("epochs", "lr", "hidden", "device")})
        mlflow.log_metric("accuracy", meta["accuracy"])
        mlflow.log_metric("seconds_per_epoch", meta["seconds_per_epoch"])
        mlflow.log_artifacts(os.path.join(args.workdir, "model"), artifact_path="kserve")
        info = mlflow.pytorch.log_model(net, name="model", input_example=example,
                                        pip_requirements=[f"torch=={torch.__version__.split('+')[0]}",
                                                          f"numpy=={np.__version__}"],
                                        registered_model_name=args.model)
    client = mlflow.MlflowClient()
    version = client.get_model_version(args.model, str(info.registered_model_version))
    result(step="register", run_id=run.info.run_id, model=args.model, version=int(version.version),
           accuracy=meta["accuracy"])


def serve(args) -> None:
    import mlflow
    import kserve
    from kserve import ModelServer
    from digits_server import DigitsModel

    mlflow.set_tracking_uri(args.tracking_uri)
    client = mlflow.MlflowClient()
    root = "/tmp/models"

    class RegistryDigits(DigitsModel):
        """DigitsModel loading the newest registered version; not ready until one exists."""

        def __init__(self, name: str):
            kserve.Model.__init__(self, name)
            self.net = None
            self.version = 0

        def load(self) -> bool:
            try:
                versions = client.search_model_versions(f"name='{args.model}'")
            except Exception as e:  # MLflow not up yet, or no such model
                print(f"serve: registry not answering yet: {e}", file=sys.stderr, flush=True)
                return False
            if not versions:
                return False
            newest = max(versions, key=lambda v: int(v.version))
            if int(newest.version) <= self.version:
                return True
            target = os.path.join(root, newest.version)
            mlflow.artifacts.download_artifacts(run_id=newest.run_id, artifact_path="kserve", dst_path=target)
            self.model_dir = os.path.join(target, "kserve")
            DigitsModel.load(self)
            self.version = int(newest.version)
            print(f"serve: loaded {args.model} version {self.version}", flush=True)
            return True

    model = RegistryDigits(args.model_name)
    # KServe's server starts only with a ready model: wait for the first registered version
    print(f"serve: waiting for a version of {args.model} in {args.tracking_uri}", flush=True)
    while True:
        try:
            if model.load() and model.version:
                break
        except Exception as e:
            print(f"serve: load failed: {e}", file=sys.stderr, flush=True)
        time.sleep(args.poll_s)

    def poll() -> None:
        while True:
            time.sleep(args.poll_s)
            try:
                model.load()
            except Exception as e:
                print(f"serve: load failed: {e}", file=sys.stderr, flush=True)

    threading.Thread(target=poll, daemon=True).start()
    ModelServer(http_port=args.http_port, enable_grpc=False).start([model])


def check(args) -> None:
    import requests
    import cnai_digits
    s = cnai_digits.load_split()
    url = f"{args.server}/v2/models/{args.model_name}"
    deadline = time.time() + args.timeout_s
    while True:
        try:
            r = requests.get(url + "/ready", timeout=5)
            if r.status_code == 200:
                break
            why = f"HTTP {r.status_code}"
        except requests.RequestException as e:
            why = str(e)
        if time.time() > deadline:
            print(f"check: {url} not ready after {args.timeout_s}s: {why}", file=sys.stderr)
            sys.exit(1)
        time.sleep(2)
    start = time.perf_counter()
    body = {"id": "cnai-e2e", "inputs": [{"name": "pixels", "shape": list(s.x_test.shape), "datatype": "FP32",
                        "data": s.x_test.flatten().tolist()}]}
    r = requests.post(url + "/infer", json=body, timeout=60)
    r.raise_for_status()
    out = {o["name"]: o for o in r.json()["outputs"]}
    preds = np.asarray(out["predictions"]["data"], dtype=np.int64)
    acc = float((preds == s.y_test).mean())
    result(step="check", server=args.server, images=len(preds), accuracy=acc,
           infer_seconds=round(time.perf_counter() - start, 3), min_accuracy=args.min_accuracy)
    if acc < args.min_accuracy:
        print(f"check: accuracy {acc:.3f} is below {args.min_accuracy}", file=sys.stderr)
        sys.exit(1)


def features(args) -> None:
    import shutil
    sys.path.insert(0, str(SAMPLES / "feast-features"))
    import feature_pipeline
    repo = Path(args.workdir) / "feature_repo"
    shutil.rmtree(repo, ignore_errors=True)
    shutil.copytree(SAMPLES / "feast-features" / "feature_repo", repo,
                    ignore=shutil.ignore_patterns("data", "__pycache__"))
    r = feature_pipeline.run(repo, args.epochs)
    result(step="features", train_rows=r["train_rows"], online_rows=r["online_rows"], accuracy=r["accuracy"])
    if r["accuracy"] < args.min_accuracy:
        print(f"features: accuracy {r['accuracy']:.3f} is below {args.min_accuracy}", file=sys.stderr)
        sys.exit(1)


def tune(args) -> None:
    # A worker that has not registered within Ray's default 60 s is killed and started again; in a
    # fresh pod, under load, the first imports read the environment from disk and take longer.
    os.environ.setdefault("RAY_worker_register_timeout_seconds", "600")
    storage = os.path.join(args.workdir, "ray-results")
    if args.ray_address:
        # A Ray cluster of its own (the starter release's Ray head): the trials and Tune's driver
        # run there, so the results go to the head's disk, one folder a run.
        os.environ["RAY_ADDRESS"] = args.ray_address
        storage = f"/tmp/ray-results/{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}"
    sys.path.insert(0, str(SAMPLES / "ray-tune"))
    import tune_digits
    s = tune_digits.run(args.epochs, storage, args.num_cpus)
    result(step="tune", trials=s["trials"], best_accuracy=s["best_accuracy"], best_config=s["best_config"],
           accuracy=s["best_accuracy"], ray_nodes=s["ray_nodes"], trial_nodes=s["trial_nodes"],
           ray=args.ray_address or os.environ.get("RAY_ADDRESS") or "in the pod")
    if s["best_accuracy"] < args.min_accuracy:
        print(f"tune: best accuracy {s['best_accuracy']:.3f} is below {args.min_accuracy}", file=sys.stderr)
        sys.exit(1)


def ddp(args) -> None:
    """queued-training: one worker (one pod of an Indexed Job) of a torchrun job of --nnodes workers.

    Its rank is the pod's completion index (JOB_COMPLETION_INDEX, set by the Job controller); worker
    0's pod is the master, reached by its DNS name through a headless Service. In a Kubeflow Trainer
    TrainJob the torch runtime gives the same through PET_MASTER_ADDR, PET_MASTER_PORT, PET_NNODES and
    PET_NODE_RANK, which are the defaults here. Each worker runs queued-training/train_ddp.py under
    torchrun (gloo on CPU, NCCL on GPUs); worker 0 also evaluates. Every worker prints a RESULT line:
    its rank, the world size, the samples it saw (and worker 0 the accuracy)."""
    import socket
    from torch.distributed import run as torchrun
    if not args.master_addr:
        sys.exit("ddp: give --master-addr (or run where PET_MASTER_ADDR is set, as in a TrainJob)")
    rank = int(os.environ.get("JOB_COMPLETION_INDEX", os.environ.get("PET_NODE_RANK", args.node_rank)))
    start = time.time()
    while True:  # the master's name resolves once its pod has an address (the Service publishes it at once)
        try:
            socket.getaddrinfo(args.master_addr, args.master_port)
            break
        except socket.gaierror:
            if time.time() - start > args.wait_s:
                sys.exit(f"ddp: {args.master_addr} did not resolve within {args.wait_s} s")
            time.sleep(1)
    resolved = time.time() - start
    out = Path(args.workdir) / "ddp"
    torchrun.main([f"--nnodes={args.nnodes}", f"--node-rank={rank}", "--nproc-per-node=1",
                   f"--master-addr={args.master_addr}", f"--master-port={args.master_port}",
                   str(SAMPLES / "queued-training" / "train_ddp.py"), f"--epochs={args.epochs}",
                   f"--output={out}", f"--min-accuracy={args.min_accuracy}"])
    mine = json.loads((out / f"rank-{rank}.json").read_text())
    fields = dict(step="ddp", rank=rank, world_size=mine["world_size"], samples_seen=mine["samples_seen"],
                  backend=mine["backend"], host=socket.gethostname(), master_resolved_s=round(resolved, 1),
                  seconds=round(time.time() - start, 1))
    if rank == 0:
        fields["accuracy"] = json.loads((out / "result.json").read_text())["accuracy"]
    result(**fields)


def main(argv=None) -> None:
    p = argparse.ArgumentParser(prog="digits_cluster")
    sub = p.add_subparsers(dest="step", required=True)
    a = sub.add_parser("prepare")
    a.add_argument("--workdir", required=True)
    a = sub.add_parser("train")
    a.add_argument("--workdir", required=True)
    a.add_argument("--epochs", type=int, default=20)
    a.add_argument("--lr", type=float, default=1e-2)
    a.add_argument("--hidden", type=int, default=128)
    a.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto")
    a = sub.add_parser("register")
    a.add_argument("--workdir", required=True)
    a.add_argument("--tracking-uri", required=True)
    a.add_argument("--experiment", default="cnai-digits")
    a.add_argument("--model", default="cnai-digits")
    a = sub.add_parser("serve")
    a.add_argument("--tracking-uri", required=True)
    a.add_argument("--model", default="cnai-digits", help="registered model name in MLflow")
    a.add_argument("--model_name", default="digits", help="name on the V2 protocol")
    a.add_argument("--http_port", type=int, default=8080)
    a.add_argument("--poll-s", type=float, default=5.0)
    a = sub.add_parser("check")
    a.add_argument("--server", required=True)
    a.add_argument("--model_name", default="digits")
    a.add_argument("--min-accuracy", type=float, default=0.9)
    a.add_argument("--timeout-s", type=float, default=300)
    a = sub.add_parser("features")
    a.add_argument("--workdir", required=True)
    a.add_argument("--epochs", type=int, default=30)
    a.add_argument("--min-accuracy", type=float, default=0.9)
    a = sub.add_parser("tune")
    a.add_argument("--workdir", required=True)
    a.add_argument("--epochs", type=int, default=8)
    a.add_argument("--num-cpus", type=int, default=1)
    a.add_argument("--min-accuracy", type=float, default=0.9)
    a.add_argument("--ray-address", default=None,
                   help="a Ray cluster to run on (ray://HOST:10001); none: a Ray started in this process")
    a = sub.add_parser("ddp")
    a.add_argument("--workdir", default="/tmp")
    a.add_argument("--master-addr", default=os.environ.get("PET_MASTER_ADDR"),
                   help="worker 0's address (its pod's DNS name); default: PET_MASTER_ADDR")
    a.add_argument("--master-port", type=int, default=int(os.environ.get("PET_MASTER_PORT", "29500")))
    a.add_argument("--nnodes", type=int, default=int(os.environ.get("PET_NNODES", "2")))
    a.add_argument("--node-rank", type=int, default=0, help="when JOB_COMPLETION_INDEX is not set")
    a.add_argument("--epochs", type=int, default=30)
    a.add_argument("--min-accuracy", type=float, default=0.9)
    a.add_argument("--wait-s", type=float, default=120)
    args = p.parse_args(argv)
    {"prepare": prepare, "train": train, "register": register, "serve": serve, "check": check,
     "features": features, "tune": tune, "ddp": ddp}[args.step](args)


if __name__ == "__main__":
    main()
