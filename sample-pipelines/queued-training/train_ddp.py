"""Data-parallel training of the digits classifier with torch.distributed (DDP).

Backend: NCCL when every process has a GPU, gloo otherwise (so two CPU processes work). Launch with
torchrun, which sets RANK, WORLD_SIZE, MASTER_ADDR and MASTER_PORT; Kubeflow Trainer's
torch-distributed runtime gives torchrun its node count and rank through PET_* variables.

    torchrun --standalone --nproc_per_node 2 train_ddp.py --epochs 30 --output /tmp/out

Each rank trains on its own shard (DistributedSampler). Every rank writes rank-<n>.json (samples
seen, a checksum of its final parameters); rank 0 also evaluates and writes result.json.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, DistributedSampler, TensorDataset

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "common"))
import cnai_digits  # noqa: E402


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--epochs", type=int, default=30)
    p.add_argument("--lr", type=float, default=0.01)
    p.add_argument("--batch-size", type=int, default=32, help="per process")
    p.add_argument("--output", type=Path, required=True)
    p.add_argument("--min-accuracy", type=float, default=0.9)
    args = p.parse_args()

    use_cuda = torch.cuda.is_available()
    dist.init_process_group(backend="nccl" if use_cuda else "gloo")
    rank, world = dist.get_rank(), dist.get_world_size()
    if use_cuda:
        local_rank = int(os.environ.get("LOCAL_RANK", 0))
        torch.cuda.set_device(local_rank)
        device = torch.device("cuda", local_rank)
    else:
        torch.set_num_threads(1)
        device = torch.device("cpu")

    data = cnai_digits.load_split()
    train_set = TensorDataset(torch.from_numpy(data.x_train), torch.from_numpy(data.y_train))
    sampler = DistributedSampler(train_set, num_replicas=world, rank=rank, shuffle=True, seed=0)
    loader = DataLoader(train_set, batch_size=args.batch_size, sampler=sampler)

    torch.manual_seed(0)  # same initial weights everywhere (DDP also broadcasts rank 0's)
    model = DistributedDataParallel(cnai_digits.build_model(128).to(device),
                                    device_ids=[device.index] if use_cuda else None)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    loss_fn = nn.CrossEntropyLoss()
    seen = 0
    for epoch in range(args.epochs):
        sampler.set_epoch(epoch)
        model.train()
        for xb, yb in loader:
            xb, yb = xb.to(device), yb.to(device)
            opt.zero_grad()
            loss_fn(model(xb), yb).backward()
            opt.step()
            seen += len(xb)

    checksum = float(sum(p.detach().double().sum().item() for p in model.module.parameters()))
    args.output.mkdir(parents=True, exist_ok=True)
    (args.output / f"rank-{rank}.json").write_text(json.dumps(
        {"rank": rank, "world_size": world, "samples_seen": seen, "param_checksum": checksum,
         "backend": dist.get_backend(), "shard": sorted(int(i) for i in list(iter(sampler)))}))
    dist.barrier()
    failed = False
    if rank == 0:
        acc = cnai_digits.accuracy(model.module, data.x_test, data.y_test)
        (args.output / "result.json").write_text(json.dumps(
            {"world_size": world, "epochs": args.epochs, "accuracy": acc}))
        print(f"world_size={world} accuracy={acc:.4f}")
        failed = acc < args.min_accuracy
    flag = torch.tensor([int(failed)])
    dist.broadcast(flag, src=0)  # every rank exits with the same verdict
    dist.destroy_process_group()
    if flag.item():
        sys.exit(f"accuracy below {args.min_accuracy}")


if __name__ == "__main__":
    main()
