"""The cluster view of the exports: one ACLED-like row per cluster."""

from __future__ import annotations

import csv
import io
import json

from dateline.export.clusters import (
    CLUSTER_COLUMNS,
    cluster_row,
    write_clusters_csv,
    write_clusters_geojson,
    write_clusters_jsonl,
)
from dateline.link.consensus import EventCluster, SourceInfo, build_cluster

from ..link.reports import market_shelling_reports


def _cluster() -> EventCluster:
    members = [
        (
            r.events[0],
            SourceInfo(
                doc_id=r.document.id,
                wire_group=r.document.id,
                source=r.document.source,
                reference_date=r.document.reference_date,
            ),
        )
        for r in market_shelling_reports()
    ]
    return build_cluster("c1", members)


def test_row_has_source_count_event_ids_and_the_toll_range() -> None:
    cluster = _cluster()
    row = cluster_row(cluster)
    assert set(row) == set(CLUSTER_COLUMNS)
    assert row["source_count"] == 3
    assert row["event_ids"].split(";") == cluster.event_ids
    assert (row["fatalities_low"], row["fatalities"], row["fatalities_high"]) == (7, 7, 12)
    assert row["sources"] == "Harbour Times; Steppe Wire; Delta Daily"
    assert "fatalities_disagree" in row["checks"]
    assert row["time_precision"] == 1 and row["geo_precision"] == 1


def test_csv_jsonl_and_geojson_round_trip() -> None:
    cluster = _cluster()
    out = io.StringIO()
    write_clusters_csv([cluster], out)
    (row,) = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert row["cluster_id"] == "c1" and row["location"] == "Kherson"
    out = io.StringIO()
    write_clusters_jsonl([cluster], out)
    assert EventCluster.model_validate_json(out.getvalue().strip()) == cluster
    out = io.StringIO()
    write_clusters_geojson([cluster], out)
    collection = json.loads(out.getvalue())
    assert collection["features"][0]["geometry"]["coordinates"] == [32.6169, 46.6354]
