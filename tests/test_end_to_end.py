"""The whole pipeline on the canonical article and on short articles written for the tests."""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any

import jsonschema
import pytest

from dateline.models import DocumentRecord, RawDocument, Rejected
from dateline.pipeline import Pipeline
from dateline.settings import Settings

from .conftest import SEED
from .test_models import SCHEMA_FILE

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def seed_record(pipeline: Pipeline) -> DocumentRecord:
    raw = RawDocument(text=SEED.read_text(encoding="utf-8"), origin=str(SEED))
    return pipeline.process(raw)


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def _all_spanned(value: Any) -> list[dict[str, Any]]:
    """Every {text, span} object anywhere in a JSON record."""
    found: list[dict[str, Any]] = []
    if isinstance(value, dict):
        if isinstance(value.get("span"), dict) and isinstance(value.get("text"), str):
            found.append(value)
        for child in value.values():
            found.extend(_all_spanned(child))
    elif isinstance(value, list):
        for child in value:
            found.extend(_all_spanned(child))
    return found


def test_record_validates_and_every_span_points_at_its_text(seed_record: DocumentRecord) -> None:
    data = seed_record.model_dump(mode="json")
    jsonschema.validate(data, json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))
    text = seed_record.document.text
    spanned = _all_spanned(data)
    assert len(spanned) > 50
    for item in spanned:
        if item["text"]:
            assert text[item["span"]["start"] : item["span"]["end"]] == item["text"]
    for event in seed_record.events:
        prov = event.provenance
        assert text[prov.start : prov.end] == prov.sentence


def test_document_dates_title_and_mismatch(seed_record: DocumentRecord) -> None:
    document = seed_record.document
    assert (
        document.title
        == "Israel Launches Major Ground Offensive on Khan Younis as Ceasefire Talks Stall"
    )
    assert {d.value for d in document.dates_found} >= {dt.date(2024, 7, 25), dt.date(2024, 1, 24)}
    assert document.reference_date == dt.date(2024, 1, 24)
    assert any(c.kind == "date_mismatch" for c in seed_record.checks)


def test_main_strike_is_dated_located_and_counted_once(seed_record: DocumentRecord) -> None:
    strikes = [
        e
        for e in seed_record.events
        if e.event_type == "ASSAULT" and e.fatalities is not None and e.fatalities.low == 100
    ]
    assert len(strikes) == 1, [e.provenance.sentence for e in strikes]
    strike = strikes[0]
    assert strike.date.start == dt.date(2024, 1, 23) and strike.date.precision == "day"
    assert strike.actor1 is not None and strike.actor1.country == "ISR"
    assert (
        strike.location is not None
        and strike.location.lat is not None
        and strike.location.lon is not None
    )
    assert _km(strike.location.lat, strike.location.lon, 31.346, 34.306) < 5
    occurred = sum(
        (e.fatalities.low or e.fatalities.best or 0)
        for e in seed_record.events
        if e.fatalities is not None
        and e.status in ("occurred", "ongoing")
        and not e.fatalities.cumulative
    )
    assert occurred <= 150


def test_historical_and_expected_are_not_current(seed_record: DocumentRecord) -> None:
    for event in seed_record.events:
        if "2021" in event.provenance.sentence and event.date.text.startswith("2021"):
            assert event.status == "historical" and event.date.start.year == 2021
        if "are expected" in event.provenance.sentence and event.provenance.trigger.text.startswith(
            "clearance"
        ):
            assert event.status == "expected"


def test_places_include_the_small_towns(seed_record: DocumentRecord) -> None:
    points = {
        "Khan Yunis": (31.346, 34.306),
        "Khuza'a": (31.307, 34.359),
        "Al Qarara": (31.376, 34.342),
    }
    for name, (lat, lon) in points.items():
        near = [
            p
            for p in seed_record.places
            if p.lat is not None and p.lon is not None and _km(p.lat, p.lon, lat, lon) < 5
        ]
        assert near, f"no place within 5 km of {name}"


def test_same_input_gives_the_same_records(pipeline: Pipeline, seed_record: DocumentRecord) -> None:
    again = pipeline.process(RawDocument(text=SEED.read_text(encoding="utf-8"), origin=str(SEED)))
    assert again.model_dump_json() == seed_record.model_dump_json()


def test_a_bad_document_fails_alone(pipeline: Pipeline) -> None:
    raws = [
        RawDocument(
            text="Gondor, 5 March 2024\n\nOrc raiders shelled Osgiliath, killing 4 civilians.",
            origin="good",
        ),
        RawDocument(text="No date anywhere in this short note about shelling.", origin="undated"),
    ]
    results = (
        list(Pipeline(Settings()).pipe(raws)) if pipeline is None else list(pipeline.pipe(raws))
    )
    assert isinstance(results[0], DocumentRecord)
    assert isinstance(results[1], Rejected) and results[1].code == "E201"
    assert "--date" in results[1].reason


WRITTEN = """Twelve Civilians Killed in Osgiliath Shelling

March 6, 2024

Orc raiders shelled Osgiliath on Monday, killing 12 civilians, including three children. \
Earlier this week, militia fighters burned 20 houses in Bree. \
Power and water in the town were cut off.

Troops are expected to attack the rebel camp on Friday. \
After the 2019 siege of Minas Tirith, the town was rebuilt. \
The death toll from the fighting rose to 300, officials said.
"""


@pytest.fixture(scope="session")
def written_record(pipeline: Pipeline) -> DocumentRecord:
    return pipeline.process(RawDocument(text=WRITTEN, origin="written"))


def _event_in(record: DocumentRecord, words: str) -> Any:
    """The event stated with these words, merged or not (a trigger mention close by)."""
    at = record.document.text.index(words)
    return next(
        e
        for e in record.events
        if words in e.provenance.sentence
        or any(abs(m.span.start - at) < 40 for m in e.provenance.mentions)
    )


def test_event_dates_follow_the_tense(written_record: DocumentRecord) -> None:
    # 6 March 2024 is a Wednesday.
    shelling = _event_in(written_record, "shelled Osgiliath")
    assert (shelling.date.start, shelling.date.precision) == (dt.date(2024, 3, 4), "day")
    burning = _event_in(written_record, "burned 20 houses")
    assert (burning.date.start, burning.date.end, burning.date.precision) == (
        dt.date(2024, 3, 4),
        dt.date(2024, 3, 6),
        "week",
    )
    expected = _event_in(written_record, "expected to attack")
    assert expected.status == "expected" and expected.date.start == dt.date(2024, 3, 8)
    siege = _event_in(written_record, "2019 siege")
    assert siege.status == "historical" and siege.date.start == dt.date(2019, 1, 1)
    toll = _event_in(written_record, "death toll")
    assert toll.date.precision == "reported" and toll.date.start == dt.date(2024, 3, 6)


def test_headline_and_body_figures_are_one_with_pooled_victims(
    written_record: DocumentRecord,
) -> None:
    counted = [e for e in written_record.events if e.fatalities and e.fatalities.best == 12]
    assert len(counted) == 1
    fatalities = counted[0].fatalities
    assert fatalities is not None and {"civilians", "children"} <= set(fatalities.victims)


def test_impacts_and_running_totals(written_record: DocumentRecord) -> None:
    burning = _event_in(written_record, "burned 20 houses")
    found = {(i.kind, i.count, i.effect) for i in burning.impacts}
    assert ("home", 20, "burned") in found
    assert {("power", None, "out of service"), ("water", None, "out of service")} <= found
    toll = _event_in(written_record, "death toll")
    assert toll.fatalities is not None and toll.fatalities.cumulative
    assert toll.fatalities.best == 300


SECTIONED = """Clinics Hit in Bree

May 14, 2024

Airstrikes damaged two clinics in Bree on Monday, local officials said.

The last working clinic, Hollin Road Clinic in eastern Bree, is overwhelmed with \
wounded people.

Doctors say they have less than two days of fuel, medicine and food left.

Shortages in Rivertown

Doctors in Rivertown say they are running out of oxygen.
"""


def test_facility_status_joins_the_attack_of_its_section_with_its_source(
    pipeline: Pipeline,
) -> None:
    record = pipeline.process(RawDocument(text=SECTIONED, origin="sectioned"))
    strike = _event_in(record, "Airstrikes damaged")
    by_kind = {i.kind: i for i in strike.impacts}
    clinic = next(i for i in strike.impacts if i.effect == "overwhelmed")
    assert clinic.kind == "hospital" and "Hollin Road Clinic" in clinic.text
    assert clinic.source is None  # the reporter's own statement
    for kind in ("fuel", "medicine", "food"):
        assert by_kind[kind].effect == "running out"
        assert by_kind[kind].source is not None and by_kind[kind].source.name == "Doctors"
    # A new section (after a headline line) is not the strike's: its impacts stay unattached.
    assert all(i.kind != "oxygen" for e in record.events for i in e.impacts)
