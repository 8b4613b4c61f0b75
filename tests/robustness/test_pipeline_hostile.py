"""The whole pipeline on hostile text: records whose spans hold, or a clear error; never a crash."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dateline.models import DocumentRecord, RawDocument, Rejected
from dateline.pipeline import Pipeline
from dateline.store import Store

from .conftest import EXAMPLES
from .strategies import TRICKY, hostile_text

pytestmark = pytest.mark.slow

# What the pipeline may turn a document away for; E501 (a bug) is never acceptable here.
PIPELINE_CODES = {"E101", "E104", "E107", "E201"}
SENTENCE = "Orc raiders shelled Bree on Monday, killing 4 civilians, medics said."


def _spanned(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        if isinstance(value.get("span"), dict) and isinstance(value.get("text"), str):
            yield value
        for child in value.values():
            yield from _spanned(child)
    elif isinstance(value, list):
        for child in value:
            yield from _spanned(child)


def check_result(result: DocumentRecord | Rejected) -> None:
    """Every span points at its own text; a rejection has a known code and a reason."""
    if isinstance(result, Rejected):
        assert result.code in PIPELINE_CODES, result
        assert result.reason.strip()
        return
    text = result.document.text
    for item in _spanned(result.model_dump(mode="json")):
        start, end = item["span"]["start"], item["span"]["end"]
        assert 0 <= start <= end <= len(text)
        if end > start:  # an empty span marks a value not taken from the text (metadata)
            assert text[start:end] == item["text"], item


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    with Store(f"sqlite:///{tmp_path_factory.mktemp('hostile') / 'h.sqlite'}") as opened:
        yield opened


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    texts=st.lists(
        st.one_of(hostile_text, st.lists(st.sampled_from(TRICKY), max_size=8).map(" ".join)),
        min_size=1,
        max_size=3,
    )
)
def test_any_text_gives_records_or_a_clear_error(
    texts: list[str], hostile_pipeline: Pipeline, store: Store
) -> None:
    raws = [RawDocument(text=t, origin=f"h{i}") for i, t in enumerate(texts)]
    results = list(hostile_pipeline.pipe(raws))
    assert len(results) == len(raws)
    for result in results:
        check_result(result)
        if isinstance(result, DocumentRecord):
            store.add(result)  # every record must be storable as it is
        else:
            store.add_failure(result)


@pytest.mark.parametrize(
    "text",
    [
        f"Gaza, 5 March 2024\n\nAirstrikes killed 1,000,000,000,000 people. {SENTENCE}",
        f"Bree, 31 February 2024\n\nOn 31 February, {SENTENCE}",
        "Bree\u200b, 5 March\u200d 2024\n\nOrc\u200b raiders shelled \u202eBree\u202c on Monday.",
        f"Bree, 5 March 2024\n\n{SENTENCE} قال مسؤولون إن القصف استمر، וגם דוברים אמרו {SENTENCE}",
        "Bree, 5 March 2024\n\nOrc raiders shelled Bree, killing "
        "999999999999999999999999999999 civilians.",
    ],
    ids=["trillion", "31-february", "zero-width-rtl", "arabic-hebrew", "beyond-int64"],
)
def test_tricky_articles_are_extracted_and_stored(
    text: str, hostile_pipeline: Pipeline, tmp_path: Path, pg_store_url: str | None
) -> None:
    (result,) = hostile_pipeline.pipe([RawDocument(text=text, origin="tricky.txt")])
    check_result(result)
    assert isinstance(result, DocumentRecord)
    assert any(event.event_type == "ASSAULT" for event in result.events)
    for url in [f"sqlite:///{tmp_path / 't.sqlite'}", pg_store_url]:
        if url is None:
            continue
        with Store(url) as opened:
            assert opened.add(result)
            assert opened.get(result.document.id) == result


def test_a_document_over_the_time_limit_fails_alone(hostile_pipeline: Pipeline) -> None:
    slow = Pipeline(
        hostile_pipeline.settings.model_copy(update={"time_limit": 0.5}),
        nlp=hostile_pipeline.nlp,
        gazetteer=hostile_pipeline.gazetteer,
    )
    long_text = "Bree, 5 March 2024\n\n" + " ".join([SENTENCE] * 400)  # ~28 KB of events
    raws = [
        RawDocument(text=f"Bree, 5 March 2024\n\n{SENTENCE}", origin="before.txt"),
        RawDocument(text=long_text, origin="long.txt"),
        RawDocument(text=f"Bree, 6 March 2024\n\n{SENTENCE}", origin="after.txt"),
    ]
    results = {
        r.origin if isinstance(r, Rejected) else r.document.origin: r for r in slow.pipe(raws)
    }
    assert isinstance(results["before.txt"], DocumentRecord)
    assert isinstance(results["after.txt"], DocumentRecord)
    failed = results["long.txt"]
    assert isinstance(failed, Rejected) and failed.code == "E107"
    (alone,) = slow.pipe([raws[1]])  # a batch of one is not parsed a second time
    assert isinstance(alone, Rejected) and alone.code == "E107" and alone.origin == "long.txt"
