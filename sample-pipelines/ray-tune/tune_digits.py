"""Ray Tune on the digits data: a small search over learning rate and hidden width of the shared
PyTorch classifier; each trial reports held-out accuracy after every epoch.

Locally:     python tune_digits.py --num-cpus 1 --epochs 10
On KubeRay:  rayjob.yaml runs this file on the job's own RayCluster (it connects to that cluster).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import ray
from ray import tune

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "common"))
import cnai_digits  # noqa: E402

SEARCH_SPACE = {"lr": tune.grid_search([0.003, 0.02]), "hidden": tune.grid_search([32, 128])}


def trainable(config: dict, data: cnai_digits.Split, epochs: int) -> None:
    import torch

    torch.set_num_threads(1)
    model = cnai_digits.build_model(config["hidden"])
    device = torch.device("cpu")
    for epoch in range(epochs):
        cnai_digits.train(model, data.x_train, data.y_train, epochs=1, lr=config["lr"],
                          device=device, seed=epoch)
        tune.report({"accuracy": cnai_digits.accuracy(model, data.x_test, data.y_test),
                     "epoch": epoch + 1, "node": ray.get_runtime_context().get_node_id()})


def _connect(runtime_env: dict, attempts: int = 4, pause_s: float = 10.0) -> None:
    """Joins the cluster at RAY_ADDRESS. Through Ray Client the head starts a server process for each
    client; that start has failed once on a busy node ("Starting Ray client server failed"), and a
    second connection then succeeds, so a refused connection is tried again a few times."""
    for attempt in range(1, attempts + 1):
        try:
            ray.init(runtime_env=runtime_env)
            return
        except ConnectionError as e:  # ConnectionAbortedError: the head could not start our server
            if attempt == attempts:
                raise
            print(f"ray: connecting to {os.environ['RAY_ADDRESS']} failed ({type(e).__name__}); "
                  f"trying again in {pause_s:.0f} s ({attempt}/{attempts})", file=sys.stderr, flush=True)
            ray.shutdown()
            time.sleep(pause_s)


def run(epochs: int, storage_path: str, num_cpus: int | None = None) -> dict:
    """Runs the search; returns the best trial's config and final accuracy, and the trial count."""
    started_here = False
    # Trial workers unpickle `trainable`, so they import this module and cnai_digits.
    runtime_env = {"env_vars": {"PYTHONPATH": os.pathsep.join([str(HERE), str(HERE.parent / "common")]),
                                "OMP_NUM_THREADS": "1"}}
    if not ray.is_initialized():
        if os.environ.get("RAY_ADDRESS"):  # a RayJob's cluster, or a Ray Client address (ray://)
            _connect(runtime_env)
        else:
            ray.init(num_cpus=num_cpus or 1, include_dashboard=False, runtime_env=runtime_env,
                     object_store_memory=200 * 1024 * 1024, log_to_driver=False)
        started_here = True
    try:
        data = cnai_digits.load_split()
        tuner = tune.Tuner(
            tune.with_resources(tune.with_parameters(trainable, data=data, epochs=epochs), {"cpu": 1}),
            param_space=SEARCH_SPACE,
            # One worker process serves every trial in turn: torch is imported once, not per trial.
            tune_config=tune.TuneConfig(metric="accuracy", mode="max", reuse_actors=True),
            run_config=tune.RunConfig(name="cnai-digits-tune", storage_path=storage_path, verbose=0),
        )
        results = tuner.fit()
        errors = [str(r.error) for r in results if r.error]
        if errors:
            raise RuntimeError(f"{len(errors)} trial(s) failed: {errors[0]}")
        best = results.get_best_result()
        # where it ran: the Ray cluster's live nodes, and how many of them ran trials
        return {"trials": len(results), "best_config": best.config,
                "best_accuracy": best.metrics["accuracy"], "epochs": best.metrics["epoch"],
                "ray_nodes": sum(1 for n in ray.nodes() if n.get("Alive")),
                "trial_nodes": len({r.metrics.get("node") for r in results})}
    finally:
        if started_here:
            ray.shutdown()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--num-cpus", type=int, default=None)
    p.add_argument("--storage-path", default=os.path.join(tempfile.gettempdir(), "ray-results"))
    p.add_argument("--min-accuracy", type=float, default=0.9)
    args = p.parse_args()
    summary = run(args.epochs, os.path.abspath(args.storage_path), args.num_cpus)
    print(json.dumps(summary))
    if summary["best_accuracy"] < args.min_accuracy:
        sys.exit(f"best accuracy {summary['best_accuracy']:.4f} is below {args.min_accuracy}")


if __name__ == "__main__":
    main()
