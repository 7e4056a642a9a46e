"""Trains the digits classifier on the GPU and on the CPU and prints seconds per epoch for both as
JSON. Exits 3 with a message on stderr when no CUDA GPU is visible (it does not fall back)."""
from __future__ import annotations

import argparse
import json
import statistics
import sys

import torch

import cnai_digits


def measure(device: torch.device, epochs: int, hidden: int) -> dict:
    data = cnai_digits.load_split()
    model = cnai_digits.build_model(hidden)
    seconds = cnai_digits.train(model, data.x_train, data.y_train, epochs=epochs + 1, device=device)
    # The first epoch pays for CUDA context and kernel warm-up; it is reported but not averaged.
    return {"device": str(device), "first_epoch_s": round(seconds[0], 4),
            "seconds_per_epoch": round(statistics.mean(seconds[1:]), 4),
            "accuracy": round(cnai_digits.accuracy(model, data.x_test, data.y_test), 4)}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--epochs", type=int, default=20)
    p.add_argument("--hidden", type=int, default=128)
    args = p.parse_args()
    if not torch.cuda.is_available():
        print(f"gpu-check: no CUDA GPU visible to torch {torch.__version__} "
              f"(CUDA build {torch.version.cuda}); run this on a machine with an NVIDIA GPU and driver",
              file=sys.stderr)
        return 3
    gpu = measure(torch.device("cuda"), args.epochs, args.hidden)
    gpu["name"] = torch.cuda.get_device_name(0)
    cpu = measure(torch.device("cpu"), args.epochs, args.hidden)
    print(json.dumps({"epochs": args.epochs, "gpu": gpu, "cpu": cpu,
                      "cpu_over_gpu": round(cpu["seconds_per_epoch"] / gpu["seconds_per_epoch"], 2)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
