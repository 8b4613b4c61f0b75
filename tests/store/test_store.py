"""The store: round trips, idempotent adds, all-or-nothing writes, filters, failures, PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from dateline.errors import StoreError
from dateline.models import Rejected
from dateline.store import Store, normalise_url
from dateline.store import store as store_module

from ..factories import make_record


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(f"sqlite:///{tmp_path / 'test.sqlite'}") as opened:
        yield opened


def test_round_trip_is_exact(store: Store) -> None:
    record = make_record()
    assert store.add(record)
    assert store.get(record.document.id) == record
    assert store.get(record.document.id[:8]) == record


def test_same_text_twice_is_a_no_op(store: Store) -> None:
    assert store.add(make_record())
    assert not store.add(make_record())
    assert store.count()["documents"] == 1 and store.count()["events"] == 1


def test_failure_midway_writes_nothing(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: object) -> dict[str, object]:
        raise RuntimeError("crash while writing events")

    monkeypatch.setattr(store_module, "_event_values", broken)
    with pytest.raises(RuntimeError):
        store.add(make_record())
    assert store.count() == {"documents": 0, "events": 0, "places": 0, "checks": 0, "failures": 0}


def test_filters_select_events(store: Store) -> None:
    store.add(make_record())
    store.add(make_record(TEXT2, country="GON", day=dt.date(2024, 5, 1), event_type="COERCE"))
    assert len(list(store.events())) == 2
    assert [e.location.country for e, _ in store.events(country="GON")] == ["GON"]  # type: ignore[union-attr]
    assert [e.event_type for e, _ in store.events(event_type="COERCE")] == ["COERCE"]
    assert len(list(store.events(since=dt.date(2024, 4, 1)))) == 1
    assert len(list(store.events(until=dt.date(2024, 4, 1)))) == 1
    assert list(store.records(event_type="AGREE")) == []


TEXT2 = (
    "Gondor, 1 May 2024\n\nOrc raiders shelled Bree on Monday, killing 4 civilians, medics said."
)


def test_failures_are_kept(store: Store) -> None:
    store.add_failure(Rejected(origin="bad.txt", stage="ingest", code="E102", reason="binary"))
    assert [f.code for f in store.failures()] == ["E102"]


def test_unusable_url_is_a_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError):
        Store(f"sqlite:///{tmp_path / 'missing-dir' / 'x' / 'db.sqlite'}")


def test_postgres_urls_use_psycopg() -> None:
    assert normalise_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"


@pytest.mark.postgres
def test_postgres_round_trip_and_idempotence(pg_url: str) -> None:
    with Store(pg_url) as store:
        record = make_record()
        assert store.add(record)
        assert not store.add(record)
        assert store.get(record.document.id) == record
        assert [e.id for e, _ in store.events(country="ARN")] == [record.events[0].id]
