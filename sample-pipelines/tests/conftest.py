"""Real services for the tests: an MLflow tracking server (sqlite backend, artifacts proxied by the
server) started per session on a free loopback port, and helpers to wait on HTTP endpoints."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent
# One math thread per process: the steps are tiny, and on a busy 2-core machine torch's default
# thread pool makes them some 30 times slower. Child processes (KFP steps, servers) inherit it.
os.environ.setdefault("OMP_NUM_THREADS", "1")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, proc: subprocess.Popen, log: Path, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args[:4]} exited with {proc.returncode}:\n{log.read_text()[-4000:]}")
        try:
            if requests.get(url, timeout=5).status_code == 200:
                return
        except requests.RequestException:  # refused, or accepted but not answering yet
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{url} not ready after {timeout_s}s:\n{log.read_text()[-4000:]}")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="session")
def mlflow_server(tmp_path_factory) -> str:
    """`mlflow server` on 127.0.0.1:<free port>; yields its URL."""
    home = tmp_path_factory.mktemp("mlflow")
    port = free_port()
    log = home / "server.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "mlflow", "server", "--host", "127.0.0.1", "--port", str(port),
             "--backend-store-uri", f"sqlite:///{home / 'mlflow.db'}",
             "--artifacts-destination", str(home / "artifacts"), "--workers", "1"],
            cwd=home, stdout=out, stderr=subprocess.STDOUT,
            env={**os.environ, "MLFLOW_TRACKING_URI": ""})
    url = f"http://127.0.0.1:{port}"
    try:
        wait_http(f"{url}/health", proc, log, timeout_s=180)
        yield url
    finally:
        stop(proc)
