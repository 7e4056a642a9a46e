"""gpu-check: without a GPU it refuses clearly; with one it reports both timings."""
from __future__ import annotations

import json
import subprocess
import sys

import torch
from conftest import ROOT


def test_gpu_check_reports_or_refuses_clearly():
    proc = subprocess.run([sys.executable, str(ROOT / "common" / "gpu_check.py"), "--epochs", "3"],
                          capture_output=True, text=True, timeout=300)
    if torch.cuda.is_available():
        assert proc.returncode == 0, proc.stderr
        report = json.loads(proc.stdout)
        assert report["gpu"]["device"] == "cuda" and report["cpu"]["device"] == "cpu"
        assert report["gpu"]["seconds_per_epoch"] > 0 and report["cpu"]["seconds_per_epoch"] > 0
    else:
        assert proc.returncode == 3
        assert proc.stdout == ""
        assert "no CUDA GPU visible" in proc.stderr
