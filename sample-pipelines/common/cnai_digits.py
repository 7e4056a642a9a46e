"""Shared pieces of the digits samples: data from scikit-learn's bundled digits set (no download),
a small PyTorch classifier, a training loop and an accuracy measure.

The KFP components in digits/ carry their own copy of the model definition because lightweight
components must be self-contained; everything else imports this module.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from torch import nn

N_FEATURES = 64  # 8x8 pixels, values 0..16
N_CLASSES = 10


@dataclass(frozen=True)
class Split:
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray


def load_split(test_size: float = 0.25, seed: int = 0) -> Split:
    """Digits pixels scaled to [0, 1], split with the class balance kept."""
    x, y = load_digits(return_X_y=True)
    x = (x / 16.0).astype(np.float32)
    x_tr, x_te, y_tr, y_te = train_test_split(
        x, y.astype(np.int64), test_size=test_size, random_state=seed, stratify=y)
    return Split(x_tr, y_tr, x_te, y_te)


def build_model(hidden: int = 128) -> nn.Module:
    return nn.Sequential(nn.Linear(N_FEATURES, hidden), nn.ReLU(), nn.Linear(hidden, N_CLASSES))


def pick_device(prefer: str = "auto") -> torch.device:
    if prefer == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(prefer)


def train(model: nn.Module, x: np.ndarray, y: np.ndarray, *, epochs: int, lr: float = 1e-2,
          batch_size: int = 64, device: torch.device | None = None, seed: int = 0) -> list[float]:
    """Trains in place with Adam; returns the seconds each epoch took."""
    device = device or pick_device()
    torch.manual_seed(seed)
    model.to(device)
    xt = torch.from_numpy(x).to(device)
    yt = torch.from_numpy(y).to(device)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    gen = torch.Generator().manual_seed(seed)
    seconds = []
    for _ in range(epochs):
        start = time.perf_counter()
        model.train()
        order = torch.randperm(len(xt), generator=gen).to(device)
        for i in range(0, len(xt), batch_size):
            idx = order[i:i + batch_size]
            opt.zero_grad()
            loss_fn(model(xt[idx]), yt[idx]).backward()
            opt.step()
        if device.type == "cuda":
            torch.cuda.synchronize()
        seconds.append(time.perf_counter() - start)
    return seconds


@torch.no_grad()
def predict(model: nn.Module, x: np.ndarray) -> np.ndarray:
    model.eval()
    device = next(model.parameters()).device
    return model(torch.from_numpy(np.asarray(x, dtype=np.float32)).to(device)).argmax(1).cpu().numpy()


def accuracy(model: nn.Module, x: np.ndarray, y: np.ndarray) -> float:
    return float((predict(model, x) == y).mean())
