"""Writers: every format parses, carries the spans, and is deterministic."""

from __future__ import annotations

import csv
import io
import json

from dateline.export.rows import EVENT_COLUMNS, event_row
from dateline.export.writers import (
    ACLED_COLUMNS,
    write_acled_csv,
    write_csv,
    write_geojson,
    write_json,
    write_jsonl_events,
    write_jsonl_records,
)

from ..factories import TEXT, make_record


def _render(writer, data) -> str:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    writer(data, out)
    return out.getvalue()


def test_row_has_every_column_and_span_offsets() -> None:
    record = make_record()
    row = event_row(record.events[0], record.document)
    assert list(row) == list(EVENT_COLUMNS)
    text = record.document.text
    assert text[row["actor1_span_start"] : row["actor1_span_end"]] == row["actor1_text"]  # type: ignore[index,misc]
    assert row["fatalities_low"] == 4 and row["date_start"] == "2024-03-04"


def test_json_one_object_or_a_list() -> None:
    one = json.loads(_render(write_json, [make_record()]))
    assert one["document"]["title"] == "Shelling in Bree"
    many = json.loads(
        _render(
            write_json,
            [
                make_record(),
                make_record(TEXT + " "),
            ],
        )
    )
    assert isinstance(many, list) and len(many) == 2


def test_jsonl_and_csv_and_geojson_parse() -> None:
    record = make_record()
    pairs = [(record.events[0], record.document)]
    lines = _render(write_jsonl_records, [record]).splitlines()
    assert json.loads(lines[0])["events"][0]["id"] == record.events[0].id
    event = json.loads(_render(write_jsonl_events, pairs))
    assert event["document"]["id"] == record.document.id
    rows = list(csv.DictReader(io.StringIO(_render(write_csv, pairs))))
    assert rows[0]["event_type"] == "ASSAULT"
    geo = json.loads(_render(write_geojson, pairs))
    assert geo["features"][0]["geometry"]["coordinates"] == [20.25, 10.5]
    assert _render(write_csv, pairs) == _render(write_csv, pairs)


def test_unlocated_events_are_counted() -> None:
    record = make_record(lat=None)
    geo = json.loads(_render(write_geojson, [(record.events[0], record.document)]))
    assert geo["features"] == [] and geo["unlocated"] == 1


def test_acled_columns_and_codes() -> None:
    record = make_record(country="PSE")
    rows = list(
        csv.DictReader(io.StringIO(_render(write_acled_csv, [(record.events[0], record.document)])))
    )
    assert list(rows[0]) == list(ACLED_COLUMNS)
    row = rows[0]
    assert row["sub_event_type"] == "Shelling/artillery/missile attack"
    assert (row["inter1"], row["inter2"], row["interaction"]) == ("2", "7", "27")
    assert row["fatalities"] == "4" and row["time_precision"] == "1" and row["iso"] == "275"


def test_acled_associated_actors_by_side() -> None:
    from dateline.models import AssociatedActor, Span

    record = make_record(country="PSE")
    span = Span(start=0, end=1)
    allies = [
        AssociatedActor(text="a", span=span, name="Rohirrim", kind="armed_group", role="actor1"),
        AssociatedActor(text="b", span=span, name="Dunlendings", role="actor2"),
        AssociatedActor(text="c", span=span, name="Elves", role="actor1"),
        AssociatedActor(text="d", span=span, name="Ents", role="mediator"),
    ]
    event = record.events[0].model_copy(update={"associated_actors": allies})
    (row,) = csv.DictReader(io.StringIO(_render(write_acled_csv, [(event, record.document)])))
    assert row["assoc_actor_1"] == "Rohirrim; Elves"
    assert row["assoc_actor_2"] == "Dunlendings"
    assert "person" not in " ".join(EVENT_COLUMNS)  # the flat columns are the store's table
