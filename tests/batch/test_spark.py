"""``dateline spark`` in Spark local mode: the same records as the local pipeline, as Parquet."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

pytest.importorskip("pyspark")
pq = pytest.importorskip("pyarrow.parquet")

ITEMS = [
    {
        "id": "bree",
        "text": "Bree, 5 March 2024\n\nOrc raiders shelled the town of Bree on Monday, "
        "killing 4 civilians.",
        "published": "2024-03-05",
    },
    {"id": "bakery", "text": "The bakery won a prize for its bread.", "published": "2024-03-05"},
    {"id": "blank", "text": "   "},
    {
        "id": "talks",
        "text": "Gondor and Arnor agreed on Tuesday to hold talks in Minas Tirith.",
        "published": "2024-03-06",
    },
]


WIRE = "Osgiliath, 7 March 2024\n\nRangers clashed with orc raiders near Osgiliath on Thursday."


@pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs Java 17")
def test_spark_writes_the_local_pipelines_records_as_parquet(tmp_path: Path) -> None:
    import pyarrow as pa

    from dateline.batch.spark import run_spark, spark_session
    from dateline.models import DocumentRecord, RawDocument
    from dateline.pipeline import Pipeline
    from dateline.settings import Settings

    from ..ingest.test_warc import _write_warc

    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(json.dumps(i) for i in ITEMS) + "\n", encoding="utf-8")
    table = pa.table({"id": ["wire"], "text": [WIRE], "published": ["2024-03-07"]})
    pq.write_table(table, tmp_path / "wire.parquet")
    _write_warc(tmp_path / "crawl.warc.gz")
    out = tmp_path / "out"
    spark = spark_session("local[1]", app_name="dateline-test")
    try:
        run = run_spark(spark, [str(tmp_path)], out, Settings())
    finally:
        spark.stop()

    # JSONL: 2 stored, 1 irrelevant, 1 empty; Parquet: 1 stored; WARC: 2 stored, 1 empty page.
    assert run.statuses == {"stored": 5, "irrelevant": 1, "failed": 2}
    origins = [r["origin"] for r in pq.read_table(out / "documents").to_pylist()]
    assert "wire" in origins and sum("crawl.warc.gz#" in o for o in origins) == 3
    documents = {r["origin"]: r for r in pq.read_table(out / "documents").to_pylist()}
    assert documents["bakery"]["status"] == "irrelevant"
    assert documents["blank"]["code"] == "E101"
    events = pq.read_table(out / "events").to_pylist()
    places = pq.read_table(out / "places").to_pylist()
    assert pq.read_table(out / "checks").num_rows >= 0

    local = Pipeline(Settings())
    expected = [
        r
        for r in local.pipe(
            RawDocument(
                text=i["text"], origin=i["id"], published=dt.date.fromisoformat(i["published"])
            )
            for i in ITEMS
            if i["id"] in ("bree", "talks")
        )
        if isinstance(r, DocumentRecord)
    ]
    ids = {r.document.id for r in expected}
    assert sorted(e["id"] for e in events if e["doc_id"] in ids) == sorted(
        e.id for r in expected for e in r.events
    )
    assert {(p["doc_id"], p["span_start"]) for p in places if p["doc_id"] in ids} == {
        (r.document.id, p.span.start) for r in expected for p in r.places
    }
    shelling = next(e for e in events if e["doc_id"] == documents["bree"]["doc_id"])
    assert shelling["event_type"] == "ASSAULT" and shelling["fatalities_best"] == 4
    assert isinstance(shelling["date_start"], dt.date)
