"""Batch ingest: resumable by content hash, failures recorded once, irrelevant texts skipped."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from dateline.batch.runner import BatchIngest, BatchOptions, ingest_batch
from dateline.document import build_document
from dateline.errors import DateError
from dateline.models import DocumentRecord, RawDocument, Rejected
from dateline.settings import Settings
from dateline.store import Store

DAY = dt.date(2024, 3, 5)


class CountingExtractor:
    """Builds documents without a model and remembers which texts it was asked to parse."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def pipe(self, raws: Iterable[RawDocument]) -> Iterator[DocumentRecord | Rejected]:
        for raw in raws:
            self.seen.append(raw.origin)
            try:
                document, checks = build_document(raw)
            except DateError as exc:
                yield Rejected(
                    origin=raw.origin, stage="document", code=exc.code, reason=exc.message
                )
                continue
            yield DocumentRecord(document=document, events=[], places=[], checks=checks)


def _raw(text: str, origin: str, published: dt.date | None = DAY) -> RawDocument:
    return RawDocument(text=text, origin=origin, published=published)


def _inputs() -> list[RawDocument | Rejected]:
    return [
        _raw("Raiders shelled Bree on Monday.", "a"),
        _raw("The bakery won a prize for its bread.", "b"),
        Rejected(origin="c", stage="ingest", code="E101", reason="document is empty"),
        _raw("Rangers clashed with raiders near Bree.", "d"),
        _raw("Raiders shelled Bree on Monday.", "a-again"),
    ]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(db_url=f"sqlite:///{tmp_path / 'batch.sqlite'}")


def test_only_relevant_new_texts_are_parsed(settings: Settings) -> None:
    extractor = CountingExtractor()
    summary = ingest_batch(_inputs(), settings, pipeline=extractor)
    assert extractor.seen == ["a", "d"]
    assert summary.counts == {"stored": 2, "irrelevant": 1, "failed": 1, "present": 1}
    assert summary.failures_by_code() == [("E101", 1, "document is empty")]


def test_rerun_stores_nothing_twice_and_parses_nothing_stored(settings: Settings) -> None:
    ingest_batch(_inputs()[:2], settings, pipeline=CountingExtractor())
    extractor = CountingExtractor()
    summary = ingest_batch(_inputs(), settings, pipeline=extractor)
    assert extractor.seen == ["d"]
    assert summary.counts["stored"] == 1 and summary.counts["present"] == 2
    with Store(settings.db_url) as store:
        counts = store.count()
    assert counts["documents"] == 2
    assert counts["failures"] == 1


def test_a_failure_is_recorded_once_however_often_the_batch_runs(settings: Settings) -> None:
    for _ in range(3):
        ingest_batch(_inputs(), settings, pipeline=CountingExtractor())
    with Store(settings.db_url) as store:
        assert [f.origin for f in store.failures()] == ["c"]


def test_without_the_filter_every_text_is_parsed(settings: Settings) -> None:
    extractor = CountingExtractor()
    ingest_batch(_inputs(), settings, options=BatchOptions(relevance=False), pipeline=extractor)
    assert extractor.seen == ["a", "b", "d"]


def test_pipeline_rejections_are_failures(settings: Settings) -> None:
    undated = _raw("Raiders shelled Bree.", "undated", published=None)
    summary = ingest_batch([undated], settings, pipeline=CountingExtractor())
    assert summary.counts == {"failed": 1}
    assert summary.failures[0].code == "E201"


def test_every_input_gets_one_outcome(settings: Settings) -> None:
    batch = BatchIngest(settings, options=BatchOptions(chunk_size=1), pipeline=CountingExtractor())
    try:
        origins = [o.origin for o in batch.run(_inputs())]
    finally:
        batch.close()
    assert sorted(origins) == sorted(["a", "b", "c", "d", "a-again"])
