"""Output writers; every tabular format is derived from ``rows.event_row``."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol, TextIO

import pycountry

from dateline.export.rows import EVENT_COLUMNS, event_row
from dateline.models import Document, DocumentRecord, Event

EventPairs = Iterable[tuple[Event, Document]]


def write_json(records: Sequence[DocumentRecord], out: TextIO) -> None:
    """One JSON object for one record, a list for several."""
    data: Any = [r.model_dump(mode="json") for r in records]
    if len(records) == 1:
        data = data[0]
    json.dump(data, out, ensure_ascii=False, indent=2)
    out.write("\n")


def write_jsonl_records(records: Iterable[DocumentRecord], out: TextIO) -> None:
    """One document record per line."""
    for record in records:
        out.write(record.model_dump_json() + "\n")


def write_jsonl_events(pairs: EventPairs, out: TextIO) -> None:
    """One event per line, with its document's id, title and reference date."""
    for event, document in pairs:
        data = event.model_dump(mode="json")
        data["document"] = {
            "id": document.id, "title": document.title, "url": document.url,
            "reference_date": document.reference_date.isoformat(),
        }  # fmt: skip
        out.write(json.dumps(data, ensure_ascii=False) + "\n")


def write_csv(pairs: EventPairs, out: TextIO) -> None:
    """One row per event; columns are ``rows.EVENT_COLUMNS``."""
    writer = csv.DictWriter(out, fieldnames=EVENT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for event, document in pairs:
        writer.writerow(event_row(event, document))


class _Point(Protocol):
    @property
    def lat(self) -> float | None: ...
    @property
    def lon(self) -> float | None: ...


def feature_collection(
    items: Iterable[tuple[str, _Point | None, dict[str, Any]]],
) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of (id, location, properties); unlocated items are counted."""
    features: list[dict[str, Any]] = []
    unlocated = 0
    for item_id, loc, properties in items:
        if loc is None or loc.lat is None or loc.lon is None:
            unlocated += 1
            continue
        features.append(
            {
                "type": "Feature",
                "id": item_id,
                "geometry": {"type": "Point", "coordinates": [loc.lon, loc.lat]},
                "properties": properties,
            }
        )
    return {"type": "FeatureCollection", "features": features, "unlocated": unlocated}


def write_geojson(pairs: EventPairs, out: TextIO) -> None:
    """A FeatureCollection of located events; unlocated events are counted, not dropped silently."""
    collection = feature_collection(
        (event.id, event.location, event_row(event, document)) for event, document in pairs
    )
    json.dump(collection, out, ensure_ascii=False)
    out.write("\n")


ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
)  # fmt: skip
# ACLED actor types ("inter" codes) from dateline's actor kinds.
_INTER = {"military": 1, "government": 1, "armed_group": 2, "civilians": 7,
          "international_organization": 8, "ngo": 8, "media": 7, "health": 7}  # fmt: skip
_TIME_PRECISION = {"day": 1, "week": 2, "month": 3, "year": 3, "reported": 1}
_GEO_PRECISION = {"point": 1, "town": 1, "admin1": 2, "country": 3}
_DISORDER = {
    "Battles": "Political violence", "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence", "Riots": "Political violence",
    "Protests": "Demonstrations", "Strategic developments": "Strategic developments",
}  # fmt: skip


def _associated(event: Event, role: str) -> str:
    """ACLED's assoc_actor_1/2: the other actors on that side, separated by '; '."""
    return "; ".join(a.name for a in event.associated_actors if a.role == role)


def _acled_row(event: Event, document: Document) -> dict[str, Any]:
    loc = event.location
    country = pycountry.countries.get(alpha_3=loc.country) if loc and loc.country else None
    inter1 = _INTER.get(event.actor1.kind, 0) if event.actor1 else 0
    inter2 = _INTER.get(event.actor2.kind, 0) if event.actor2 else 0
    fatalities = event.fatalities
    deaths = (
        (fatalities.low if fatalities.low is not None else fatalities.best) if fatalities else 0
    )
    return {
        "event_id_cnty": event.id,
        "event_date": event.date.start.isoformat(),
        "year": event.date.start.year,
        "time_precision": _TIME_PRECISION[event.date.precision],
        "disorder_type": _DISORDER.get(event.acled_event_type or "", ""),
        "event_type": event.acled_event_type,
        "sub_event_type": event.acled_sub_event_type,
        "actor1": event.actor1.name if event.actor1 else "",
        "assoc_actor_1": _associated(event, "actor1"),
        "inter1": inter1,
        "actor2": event.actor2.name if event.actor2 else "",
        "assoc_actor_2": _associated(event, "actor2"),
        "inter2": inter2,
        "interaction": int(f"{min(inter1, inter2)}{max(inter1, inter2)}")
        if inter1 or inter2
        else 0,
        "civilian_targeting": "Civilian targeting" if inter2 == 7 else "",
        "iso": int(country.numeric) if country else "",
        "region": "",
        "country": getattr(country, "common_name", None) or (country.name if country else ""),
        "admin1": loc.admin1 if loc else "",
        "admin2": "",
        "admin3": "",
        "location": loc.name if loc else "",
        "latitude": loc.lat if loc else "",
        "longitude": loc.lon if loc else "",
        "geo_precision": _GEO_PRECISION.get(loc.geo_precision or "", 3) if loc else "",
        "source": event.source.name if event.source.name != "reporter" else (document.source or ""),
        "source_scale": "",
        "notes": event.provenance.sentence.strip(),
        "fatalities": deaths or 0,
        "tags": f"status={event.status}; dateline_doc={document.id}",
        "timestamp": "",
    }


def write_acled_csv(pairs: EventPairs, out: TextIO) -> None:
    """Events that have an ACLED type, in ACLED's column order and codes."""
    writer = csv.DictWriter(out, fieldnames=ACLED_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for event, document in pairs:
        if event.acled_event_type:
            writer.writerow(_acled_row(event, document))


EVENT_WRITERS: dict[str, Callable[[EventPairs, TextIO], None]] = {
    "csv": write_csv,
    "jsonl": write_jsonl_events,
    "geojson": write_geojson,
    "acled-csv": write_acled_csv,
}
