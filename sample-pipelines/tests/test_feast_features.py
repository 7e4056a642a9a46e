"""feast-features: apply, materialize and online retrieval with Feast's local provider; the model
trained on the offline store's point-in-time join scores online-served features."""
from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
from conftest import ROOT

import feature_pipeline


def test_feature_repo_feeds_training_and_online_values_match(tmp_path, record_property):
    repo = tmp_path / "feature_repo"
    shutil.copytree(ROOT / "feast-features" / "feature_repo", repo,
                    ignore=shutil.ignore_patterns("data", "__pycache__"))
    result = feature_pipeline.run(repo, epochs=30)
    record_property("accuracy", result["accuracy"])

    written = pd.read_parquet(repo / "data" / "digits.parquet").set_index("image_id")
    assert result["train_rows"] == 1347 and result["online_rows"] == 450
    online = result["online"]
    ids = result["test_ids"]
    assert online["image_id"] == ids
    expected = written.loc[ids]
    for column in feature_pipeline.PIXELS:
        np.testing.assert_array_equal(np.asarray(online[column], dtype=np.float32),
                                      expected[column].to_numpy(np.float32), err_msg=column)
    assert online["label"] == expected["label"].tolist()
    assert result["accuracy"] >= 0.9

    # The registry holds what definitions.py declares.
    from feast import FeatureStore
    store = FeatureStore(repo_path=str(repo))
    view = store.get_feature_view("digit_pixels")
    assert len(view.features) == 65
    assert [e.name for e in store.list_entities()] == ["image"]
