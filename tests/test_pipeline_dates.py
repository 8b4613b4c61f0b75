"""Event dates in the pipeline: a date in a clause about another event is not this one's."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from dateline.models import RawDocument
from dateline.pipeline import Pipeline
from dateline.resolve.gazetteer import GazetteerEntry, MemoryGazetteer

pytestmark = pytest.mark.slow

GAZ = MemoryGazetteer(
    [(GazetteerEntry(1, "Minas Tirith", 10.0, 20.0, "GON", "01", 90_000, "city"), [])]
)


@pytest.fixture(scope="module")
def pipeline(nlp: Any) -> Pipeline:
    return Pipeline(gazetteer=GAZ, nlp=nlp)


def _events(pipeline: Pipeline, text: str) -> Any:
    record = pipeline.process(RawDocument(text=text, origin="test", published="2024-03-06"))
    return record.events


def test_a_date_in_a_clause_about_another_event_is_not_the_events(pipeline: Pipeline) -> None:
    events = _events(
        pipeline,
        "Farmers began a hunger strike in Minas Tirith to demand the return of land seized "
        "by the army in 1985.",
    )
    (protest,) = [e for e in events if e.event_type == "PROTEST"]
    assert protest.status != "historical"
    assert protest.date.start == dt.date(2024, 3, 6) and protest.date.precision == "reported"
    seizures = [e for e in events if e.event_type == "COERCE"]
    assert all(e.date.start.year == 1985 for e in seizures)


def test_a_date_in_a_clause_about_the_same_event_counts(pipeline: Pipeline) -> None:
    (attack,) = _events(
        pipeline, "Nine people were killed and another 20 wounded on Monday in Minas Tirith."
    )
    assert attack.date.start == dt.date(2024, 3, 4) and attack.date.precision == "day"


def _ongoing(events: Any, event_type: str) -> Any:
    (found,) = [e for e in events if e.event_type == event_type and e.status == "ongoing"]
    return found


def test_an_ongoing_event_runs_from_when_the_text_says_it_began(pipeline: Pipeline) -> None:
    # 2024-03-06 is a Wednesday: "Monday" is 2024-03-04.
    events = _events(
        pipeline,
        "Gondor has launched an offensive on Minas Tirith. The offensive began on Monday. "
        "Fierce clashes are underway along the edges of the city.",
    )
    offensive = _ongoing(events, "ASSAULT")
    assert (offensive.date.start, offensive.date.end) == (dt.date(2024, 3, 4), dt.date(2024, 3, 6))
    assert offensive.date.text == "on Monday" and offensive.date.precision == "week"


def test_a_start_named_for_something_else_does_not_date_it(pipeline: Pipeline) -> None:
    events = _events(
        pipeline,
        "Protesters are marching in Minas Tirith. The festival began on Monday.",
    )
    protest = _ongoing(events, "PROTEST")
    assert protest.date.precision == "reported" and protest.date.start == dt.date(2024, 3, 6)
