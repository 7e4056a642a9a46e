"""Feast feeding training: write the digits as a Parquet source, apply the feature repository,
materialize into the SQLite online store, build the training set with a point-in-time join
(offline store), then score held-out images whose features come from the online store.

    python feature_pipeline.py --repo ./feature_repo --epochs 30

The repository folder is written to (data/), so the tests run it on a copy.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pandas as pd
from feast import FeatureStore
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "common"))
import cnai_digits  # noqa: E402

EVENT_TIME = datetime(2026, 1, 1, tzinfo=timezone.utc)
PIXELS = [f"p{i}" for i in range(64)]


def write_source(repo: Path) -> pd.DataFrame:
    """The feature rows: image_id, p0..p63 (float32 in [0, 1]), label, timestamps."""
    x, y = load_digits(return_X_y=True)
    frame = pd.DataFrame((x / 16.0).astype(np.float32), columns=PIXELS)
    frame.insert(0, "image_id", np.arange(len(x), dtype=np.int64))
    frame["label"] = y.astype(np.int64)
    frame["event_timestamp"] = pd.Timestamp(EVENT_TIME)
    frame["created"] = pd.Timestamp(EVENT_TIME)
    (repo / "data").mkdir(exist_ok=True)
    frame.to_parquet(repo / "data" / "digits.parquet", index=False)
    return frame


def apply_repo(repo: Path) -> FeatureStore:
    """What `feast apply` does for this repository: register its entity and feature view."""
    spec = importlib.util.spec_from_file_location("cnai_feast_definitions", repo / "definitions.py")
    defs = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(defs)
    store = FeatureStore(repo_path=str(repo))
    store.apply([defs.image, defs.digit_pixels])
    return store


def feature_refs() -> list[str]:
    return [f"digit_pixels:{p}" for p in PIXELS] + ["digit_pixels:label"]


def run(repo: Path, epochs: int = 30, seed: int = 0) -> dict:
    repo = repo.resolve()
    written = write_source(repo)
    store = apply_repo(repo)
    store.materialize(EVENT_TIME - timedelta(days=1), EVENT_TIME + timedelta(days=1))

    ids = written["image_id"].to_numpy()
    train_ids, test_ids = train_test_split(ids, test_size=0.25, random_state=seed,
                                           stratify=written["label"])
    # Training set: point-in-time join against the offline store.
    entity_df = pd.DataFrame({"image_id": np.sort(train_ids),
                              "event_timestamp": pd.Timestamp(EVENT_TIME + timedelta(hours=1))})
    train_df = store.get_historical_features(entity_df=entity_df, features=feature_refs()).to_df()
    train_df = train_df.sort_values("image_id")
    model = cnai_digits.build_model(128)
    cnai_digits.train(model, train_df[PIXELS].to_numpy(np.float32),
                      train_df["label"].to_numpy(np.int64), epochs=epochs, seed=seed)

    # Scoring: features served by the online store, as an inference service would read them.
    test_ids = np.sort(test_ids)
    online = store.get_online_features(features=feature_refs(),
                                       entity_rows=[{"image_id": int(i)} for i in test_ids]).to_dict()
    x_online = np.column_stack([online[p] for p in PIXELS]).astype(np.float32)
    y_online = np.asarray(online["label"], dtype=np.int64)
    acc = cnai_digits.accuracy(model, x_online, y_online)
    return {"train_rows": int(len(train_df)), "online_rows": int(len(test_ids)),
            "accuracy": acc, "online": online, "test_ids": test_ids.tolist()}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--repo", type=Path, default=Path(__file__).resolve().parent / "feature_repo")
    p.add_argument("--epochs", type=int, default=30)
    p.add_argument("--min-accuracy", type=float, default=0.9)
    args = p.parse_args()
    result = run(args.repo, args.epochs)
    print(json.dumps({k: result[k] for k in ("train_rows", "online_rows", "accuracy")}))
    if result["accuracy"] < args.min_accuracy:
        sys.exit(f"accuracy {result['accuracy']:.4f} is below {args.min_accuracy}")


if __name__ == "__main__":
    main()
