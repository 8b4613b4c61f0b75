"""One flat row per event, derived from the record model: CSV, GeoJSON properties, tables."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from dateline.models import Count, Document, Event

Scalar = str | int | float | bool | None

# Nested record fields flatten to ``<field>_<subfield>``; spans to ``<field>_span_start/_end``.
_NESTED = ("actor1", "actor2", "location", "date", "fatalities", "injuries")
_DOCUMENT_COLUMNS = ("document_title", "document_url", "document_source", "reference_date")
# Record fields that have no flat column: the store's events table is built from these
# columns and changes only through a migration; the full record (with them) is kept as JSON.
_UNFLATTENED = frozenset({"person", "office"})


def _flatten(prefix: str, value: Any) -> dict[str, Scalar]:
    row: dict[str, Scalar] = {}
    data = value.model_dump(mode="json") if value is not None else {}
    model = type(value) if value is not None else None
    for name in model.model_fields if model is not None else {}:
        if name in _UNFLATTENED:
            continue
        item = data.get(name)
        if name == "span":
            row[f"{prefix}_span_start"] = item["start"] if item else None
            row[f"{prefix}_span_end"] = item["end"] if item else None
        elif isinstance(item, list):
            row[f"{prefix}_{name}"] = ";".join(str(v) for v in item)
        else:
            row[f"{prefix}_{name}"] = item
    return row


def _empty_columns() -> dict[str, tuple[str, ...]]:
    from dateline.models import Actor, Location, When

    fields: dict[str, type[BaseModel]] = {
        "actor1": Actor,
        "actor2": Actor,
        "location": Location,
        "date": When,
        "fatalities": Count,
        "injuries": Count,
    }
    out: dict[str, tuple[str, ...]] = {}
    for prefix, model in fields.items():
        names: list[str] = []
        for name in model.model_fields:
            if name in _UNFLATTENED:
                continue
            span = [f"{prefix}_span_start", f"{prefix}_span_end"]
            names.extend(span if name == "span" else [f"{prefix}_{name}"])
        out[prefix] = tuple(names)
    return out


_NESTED_COLUMNS = _empty_columns()

EVENT_COLUMNS: tuple[str, ...] = (
    "id", "doc_id", "event_type", "mode", "acled_event_type", "acled_sub_event_type",
    *(c for prefix in _NESTED for c in _NESTED_COLUMNS[prefix]),
    "impacts", "status", "source_name", "source_kind", "source_text", "quotes",
    "sentence", "sentence_start", "sentence_end", "trigger", "mentions", "confidence",
    *_DOCUMENT_COLUMNS,
)  # fmt: skip


def event_row(event: Event, document: Document) -> dict[str, Scalar]:
    """The flat row for one event, with the document fields an analyst needs beside it."""
    row: dict[str, Scalar] = {
        "id": event.id,
        "doc_id": event.doc_id,
        "event_type": event.event_type,
        "mode": event.mode,
        "acled_event_type": event.acled_event_type,
        "acled_sub_event_type": event.acled_sub_event_type,
    }
    for prefix in _NESTED:
        flat = _flatten(prefix, getattr(event, prefix))
        row.update({c: flat.get(c) for c in _NESTED_COLUMNS[prefix]})
    row["impacts"] = "; ".join(
        f"{i.kind}={i.count}" if i.count is not None else i.kind for i in event.impacts
    )
    row["status"] = event.status
    row["source_name"] = event.source.name
    row["source_kind"] = event.source.kind
    row["source_text"] = event.source.text
    row["quotes"] = " | ".join(f"{q.speaker or '?'}: {q.text}" for q in event.quotes)
    row["sentence"] = event.provenance.sentence.strip()
    row["sentence_start"] = event.provenance.start
    row["sentence_end"] = event.provenance.end
    row["trigger"] = event.provenance.trigger.text
    row["mentions"] = ";".join(f"{m.span.start}-{m.span.end}" for m in event.provenance.mentions)
    row["confidence"] = event.confidence
    row["document_title"] = document.title
    row["document_url"] = document.url
    row["document_source"] = document.source
    row["reference_date"] = document.reference_date.isoformat()
    return {column: row.get(column) for column in EVENT_COLUMNS}
