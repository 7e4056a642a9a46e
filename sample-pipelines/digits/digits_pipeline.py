"""KFP v2 pipeline: digits data -> PyTorch classifier -> evaluation -> MLflow run + registered model
-> KServe Python model server -> V2 inference over HTTP -> accuracy gate.

Lightweight components are self-contained (the executor runs each function's source alone), so
the model definition appears in the components that need it. They expect an image that already
holds the locked requirements (BASE_IMAGE): nothing is pip-installed when a step starts.

Compile:  python digits_pipeline.py  (writes digits_pipeline.yaml beside this file)
"""
from pathlib import Path

from kfp import compiler, dsl
from kfp.dsl import Dataset, Input, Metrics, Model, Output

HERE = Path(__file__).resolve().parent
IR_PATH = HERE / "digits_pipeline.yaml"
# Built from sample-pipelines/requirements.txt by the on-cluster part of the project.
BASE_IMAGE = "cnai.local/sample-pipelines:0.1.0"
# The KServe model server's source travels as a pipeline constant, so the serving step needs no
# copy of this repository.
SERVER_SOURCE = (HERE / "digits_server.py").read_text()

component = dict(base_image=BASE_IMAGE, install_kfp_package=False)


@dsl.component(**component)
def prepare_data(dataset: Output[Dataset], test_size: float = 0.25, seed: int = 0):
    """scikit-learn's bundled digits (no download), pixels scaled to [0, 1], stratified split."""
    import numpy as np
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    x, y = load_digits(return_X_y=True)
    x = (x / 16.0).astype(np.float32)
    x_tr, x_te, y_tr, y_te = train_test_split(
        x, y.astype(np.int64), test_size=test_size, random_state=seed, stratify=y)
    with open(dataset.path, "wb") as f:
        np.savez(f, x_train=x_tr, y_train=y_tr, x_test=x_te, y_test=y_te)
    dataset.metadata.update({"train_rows": len(x_tr), "test_rows": len(x_te)})


@dsl.component(**component)
def train(dataset: Input[Dataset], model: Output[Model], epochs: int, lr: float, hidden: int,
          seed: int = 0) -> str:
    """Adam on a 64-hidden-10 MLP; CUDA when present, else CPU. Returns the device used."""
    import json
    import os
    import time

    import numpy as np
    import torch
    from torch import nn

    data = np.load(dataset.path)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    torch.manual_seed(seed)
    net = nn.Sequential(nn.Linear(64, hidden), nn.ReLU(), nn.Linear(hidden, 10)).to(device)
    x = torch.from_numpy(data["x_train"]).to(device)
    y = torch.from_numpy(data["y_train"]).to(device)
    opt = torch.optim.Adam(net.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    gen = torch.Generator().manual_seed(seed)
    start = time.perf_counter()
    for _ in range(epochs):
        order = torch.randperm(len(x), generator=gen).to(device)
        for i in range(0, len(x), 64):
            idx = order[i:i + 64]
            opt.zero_grad()
            loss_fn(net(x[idx]), y[idx]).backward()
            opt.step()
    seconds = time.perf_counter() - start
    os.makedirs(model.path, exist_ok=True)
    torch.save({k: v.cpu() for k, v in net.state_dict().items()},
               os.path.join(model.path, "state_dict.pt"))
    with open(os.path.join(model.path, "config.json"), "w") as f:
        json.dump({"hidden": hidden}, f)
    model.metadata.update({"framework": "pytorch", "device": device.type,
                           "seconds_per_epoch": seconds / max(epochs, 1)})
    return device.type


@dsl.component(**component)
def evaluate(dataset: Input[Dataset], model: Input[Model], metrics: Output[Metrics]) -> float:
    """Accuracy on the held-out split."""
    import json
    import os

    import numpy as np
    import torch
    from torch import nn

    data = np.load(dataset.path)
    with open(os.path.join(model.path, "config.json")) as f:
        hidden = json.load(f)["hidden"]
    net = nn.Sequential(nn.Linear(64, hidden), nn.ReLU(), nn.Linear(hidden, 10))
    net.load_state_dict(torch.load(os.path.join(model.path, "state_dict.pt"), weights_only=True))
    net.eval()
    with torch.no_grad():
        pred = net(torch.from_numpy(data["x_test"])).argmax(1).numpy()
    acc = float((pred == data["y_test"]).mean())
    metrics.log_metric("accuracy", acc)
    return acc


@dsl.component(**component)
def log_to_mlflow(dataset: Input[Dataset], model: Input[Model], tracking_uri: str,
                  experiment: str, registered_model: str, epochs: int, lr: float, hidden: int,
                  accuracy: float, device: str) -> str:
    """One MLflow run with params, metrics and the model; registers it. Returns the version."""
    import json
    import os

    import mlflow
    import numpy as np
    import torch
    from torch import nn

    with open(os.path.join(model.path, "config.json")) as f:
        cfg = json.load(f)
    net = nn.Sequential(nn.Linear(64, cfg["hidden"]), nn.ReLU(), nn.Linear(cfg["hidden"], 10))
    net.load_state_dict(torch.load(os.path.join(model.path, "state_dict.pt"), weights_only=True))
    net.eval()
    example = np.load(dataset.path)["x_test"][:4]

    mlflow.set_tracking_uri(tracking_uri)
    mlflow.set_experiment(experiment)
    with mlflow.start_run() as run:
        mlflow.log_params({"epochs": epochs, "lr": lr, "hidden": hidden, "device": device})
        mlflow.log_metric("accuracy", accuracy)
        # The files the KServe server reads, next to the MLflow-format model.
        mlflow.log_artifacts(model.path, artifact_path="kserve")
        # Stated requirements: MLflow would otherwise infer them in a subprocess that imports
        # the model's modules again (slow on a busy machine) and guess the same thing.
        info = mlflow.pytorch.log_model(net, name="model", input_example=example,
                                        pip_requirements=[f"torch=={torch.__version__.split('+')[0]}",
                                                          f"numpy=={np.__version__}"],
                                        registered_model_name=registered_model)
    version = str(info.registered_model_version)
    print(f"MLflow run {run.info.run_id}: {registered_model} version {version}")
    return version


@dsl.component(**component)
def serve_and_query(dataset: Input[Dataset], model: Input[Model], server_source: str,
                    model_name: str, min_accuracy: float, timeout_s: float = 120.0) -> float:
    """Starts the KServe model server on a free loopback port, sends the test split through
    POST /v2/models/<name>/infer, and fails unless the served accuracy reaches min_accuracy."""
    import os
    import socket
    import subprocess
    import sys
    import tempfile
    import time

    import numpy as np
    import requests

    def free_port() -> int:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return s.getsockname()[1]

    data = np.load(dataset.path)
    workdir = tempfile.mkdtemp()
    script = os.path.join(workdir, "digits_server.py")
    with open(script, "w") as f:
        f.write(server_source)
    http_port, grpc_port = free_port(), free_port()
    log = open(os.path.join(workdir, "server.log"), "w+")
    proc = subprocess.Popen(
        [sys.executable, script, "--model_name", model_name, "--model_dir", model.path,
         "--http_port", str(http_port), "--grpc_port", str(grpc_port), "--workers", "1"],
        stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{http_port}"
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            if proc.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"model server exited with {proc.returncode}:\n{log.read()}")
            try:
                if requests.get(f"{base}/v2/models/{model_name}/ready", timeout=5).status_code == 200:
                    break
            except requests.RequestException:  # refused, or accepted but not answering yet
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"model server not ready after {timeout_s}s")
            time.sleep(0.5)
        x = data["x_test"]
        body = {"id": "digits-check", "inputs": [{"name": "pixels", "shape": list(x.shape),
                                                  "datatype": "FP32", "data": x.ravel().tolist()}]}
        resp = requests.post(f"{base}/v2/models/{model_name}/infer", json=body, timeout=30)
        resp.raise_for_status()
        outputs = {o["name"]: o for o in resp.json()["outputs"]}
        pred = np.asarray(outputs["predictions"]["data"], dtype=np.int64)
        if pred.shape != data["y_test"].shape:
            raise ValueError(f"server answered {pred.shape} predictions for {len(x)} rows")
        acc = float((pred == data["y_test"]).mean())
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
    print(f"served accuracy {acc:.4f} over {len(pred)} rows")
    if acc < min_accuracy:
        raise ValueError(f"served accuracy {acc:.4f} is below {min_accuracy}")
    return acc


@dsl.pipeline(name="cnai-digits", description="Train, track, register, serve and check a digits classifier.")
def digits_pipeline(tracking_uri: str = "http://mlflow.mlflow.svc.cluster.local:5000",
                    experiment: str = "cnai-digits", registered_model: str = "cnai-digits",
                    epochs: int = 30, lr: float = 0.01, hidden: int = 128,
                    min_accuracy: float = 0.9) -> float:
    data = prepare_data()
    trained = train(dataset=data.outputs["dataset"], epochs=epochs, lr=lr, hidden=hidden)
    scored = evaluate(dataset=data.outputs["dataset"], model=trained.outputs["model"])
    log_to_mlflow(dataset=data.outputs["dataset"], model=trained.outputs["model"],
                  tracking_uri=tracking_uri, experiment=experiment,
                  registered_model=registered_model, epochs=epochs, lr=lr, hidden=hidden,
                  accuracy=scored.outputs["Output"], device=trained.outputs["Output"])
    served = serve_and_query(dataset=data.outputs["dataset"], model=trained.outputs["model"],
                             server_source=SERVER_SOURCE, model_name="digits",
                             min_accuracy=min_accuracy)
    return served.output


def compile_pipeline(path: Path = IR_PATH) -> Path:
    compiler.Compiler().compile(digits_pipeline, str(path))
    return path


if __name__ == "__main__":
    print(compile_pipeline())
