"""Feature definitions: one entity (a digits image) and one feature view (its 64 pixels and label).

The source Parquet file is written by feature_pipeline.py into data/ beside this file.
"""
from datetime import timedelta
from pathlib import Path

from feast import Entity, FeatureView, Field, FileSource, ValueType
from feast.types import Float32, Int64

SOURCE_PATH = Path(__file__).resolve().parent / "data" / "digits.parquet"
PIXELS = [f"p{i}" for i in range(64)]

image = Entity(name="image", join_keys=["image_id"], value_type=ValueType.INT64,
               description="One 8x8 image of scikit-learn's digits set")

digits_source = FileSource(name="digits_source", path=str(SOURCE_PATH),
                           timestamp_field="event_timestamp", created_timestamp_column="created")

digit_pixels = FeatureView(
    name="digit_pixels",
    entities=[image],
    ttl=timedelta(days=3650),
    schema=[Field(name="image_id", dtype=Int64)]
    + [Field(name=p, dtype=Float32) for p in PIXELS]
    + [Field(name="label", dtype=Int64)],
    online=True,
    source=digits_source,
)
