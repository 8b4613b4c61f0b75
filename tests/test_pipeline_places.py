"""Places in the pipeline: sub-places take their host's point, events get where they happened."""

from __future__ import annotations

from typing import Any

import pytest

from dateline.models import RawDocument
from dateline.pipeline import Pipeline
from dateline.resolve.gazetteer import GazetteerEntry, MemoryGazetteer

pytestmark = pytest.mark.slow

GAZ = MemoryGazetteer(
    [
        (GazetteerEntry(1, "Minas Tirith", 10.0, 20.0, "GON", "01", 90_000, "city"), []),
        (GazetteerEntry(2, "Osgiliath", 10.1, 20.4, "GON", "01", 20_000, "city"), []),
        (GazetteerEntry(3, "Gondor", 10.0, 20.0, "GON", None, 5_000_000, "country"), []),
        (GazetteerEntry(4, "Arnor", 15.0, 15.0, "ARN", None, 1_000_000, "country"), []),
    ]
)


@pytest.fixture(scope="module")
def pipeline(nlp: Any) -> Pipeline:
    return Pipeline(gazetteer=GAZ, nlp=nlp)


def _run(pipeline: Pipeline, text: str) -> Any:
    return pipeline.process(RawDocument(text=text, origin="test", published="2024-03-04"))


def test_unknown_facility_takes_its_host_point_and_precision(pipeline: Pipeline) -> None:
    text = "Shells hit the Houses of Healing Hospital in central Minas Tirith on Monday."
    record = _run(pipeline, text)
    (hospital,) = [p for p in record.places if "Hospital" in p.text]
    assert (hospital.lat, hospital.lon, hospital.geo_precision) == (10.0, 20.0, "town")
    assert hospital.name.endswith("Minas Tirith") and hospital.geonameid is None


def test_event_location_is_not_the_mediator(pipeline: Pipeline) -> None:
    text = "Talks mediated by Arnor were held in Osgiliath on Monday."
    record = _run(pipeline, text)
    located = [e.location for e in record.events if e.location is not None]
    assert located and all(loc.name == "Osgiliath" for loc in located)


def test_a_warned_town_is_its_people_not_a_country(pipeline: Pipeline) -> None:
    record = _run(
        pipeline, "The Orc Legion dropped leaflets over Minas Tirith warning of reprisals."
    )
    (threat,) = [e for e in record.events if e.event_type == "THREATEN"]
    assert threat.actor2 is not None and threat.actor2.text == "Minas Tirith"
    assert (threat.actor2.kind, threat.actor2.country) == ("civilians", "GON")
    assert threat.location is not None and threat.location.text == "Minas Tirith"
    assert all(
        a.kind != "country"
        for e in record.events
        for a in (e.actor1, e.actor2, *e.associated_actors)
        if a is not None
    )
