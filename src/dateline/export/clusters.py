"""The cluster view of the exports: one row per event cluster, ACLED-like, with its sources."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

from dateline.export.writers import feature_collection
from dateline.link.consensus import EventCluster

CLUSTER_COLUMNS = (
    "cluster_id", "event_date", "event_date_end", "time_precision", "event_type",
    "sub_event_type", "plover_type", "mode", "actor1", "actor2", "iso3", "admin1", "location",
    "latitude", "longitude", "geo_precision", "fatalities", "fatalities_low", "fatalities_high",
    "fatalities_rule", "source_count", "document_count", "event_count", "sources", "event_ids",
    "checks", "notes",
)  # fmt: skip
# ACLED's codes for time and place precision.
_TIME_PRECISION = {"day": 1, "week": 2, "month": 3, "year": 3, "reported": 1}
_GEO_PRECISION = {"point": 1, "town": 1, "admin1": 2, "country": 3}


def cluster_row(cluster: EventCluster) -> dict[str, Any]:
    """The flat row of one cluster: consensus fields, counts, sources and event ids."""
    loc = cluster.location
    outlets: list[str] = []
    for source in cluster.sources:
        name = source.outlet or source.title or source.doc_id[:8]
        if name not in outlets:
            outlets.append(name)
    return {
        "cluster_id": cluster.id,
        "event_date": cluster.date_start.isoformat(),
        "event_date_end": cluster.date_end.isoformat(),
        "time_precision": _TIME_PRECISION.get(cluster.date_precision, 3),
        "event_type": cluster.acled_event_type or "",
        "sub_event_type": cluster.acled_sub_event_type or "",
        "plover_type": cluster.event_type,
        "mode": cluster.mode or "",
        "actor1": cluster.actor1 or "",
        "actor2": cluster.actor2 or "",
        "iso3": (loc.country if loc else None) or "",
        "admin1": (loc.admin1 if loc else None) or "",
        "location": (loc.name if loc else None) or "",
        "latitude": loc.lat if loc and loc.lat is not None else "",
        "longitude": loc.lon if loc and loc.lon is not None else "",
        "geo_precision": _GEO_PRECISION.get((loc.geo_precision if loc else None) or "", 3),
        "fatalities": cluster.fatalities_best if cluster.fatalities_best is not None else 0,
        "fatalities_low": "" if cluster.fatalities_low is None else cluster.fatalities_low,
        "fatalities_high": "" if cluster.fatalities_high is None else cluster.fatalities_high,
        "fatalities_rule": cluster.fatalities_rule or "",
        "source_count": cluster.source_count,
        "document_count": cluster.document_count,
        "event_count": cluster.event_count,
        "sources": "; ".join(outlets),
        "event_ids": ";".join(cluster.event_ids),
        "checks": "; ".join(c.kind for c in cluster.checks),
        "notes": cluster.sources[0].sentence if cluster.sources else "",
    }


def write_clusters_csv(clusters: Iterable[EventCluster], out: TextIO) -> None:
    """One row per cluster; columns are ``CLUSTER_COLUMNS``."""
    writer = csv.DictWriter(out, fieldnames=CLUSTER_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for cluster in clusters:
        writer.writerow(cluster_row(cluster))


def write_clusters_jsonl(clusters: Iterable[EventCluster], out: TextIO) -> None:
    """One full cluster record (consensus, sources, checks) per line."""
    for cluster in clusters:
        out.write(cluster.model_dump_json() + "\n")


def write_clusters_json(clusters: Sequence[EventCluster], out: TextIO) -> None:
    """A JSON list of full cluster records."""
    json.dump([c.model_dump(mode="json") for c in clusters], out, ensure_ascii=False, indent=2)
    out.write("\n")


def write_clusters_geojson(clusters: Iterable[EventCluster], out: TextIO) -> None:
    """A FeatureCollection of located clusters, the flat row as properties."""
    collection = feature_collection((c.id, c.location, cluster_row(c)) for c in clusters)
    json.dump(collection, out)
    out.write("\n")
