"""Read-only queries for the web app: filters, wildcard escaping, paging, optional tables."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from dateline.store import Store, queries

from ..factories import TEXT, make_record


def _store(tmp_path: Path, count: int) -> Store:
    store = Store(f"sqlite:///{tmp_path / 'q.sqlite'}")
    for n in range(count):
        store.add(make_record(TEXT + f"\nUpdate {n}.", day=dt.date(2024, 3, 1 + n)))
    return store


def test_text_search_treats_wildcards_as_text(tmp_path: Path) -> None:
    with _store(tmp_path, 1) as store:
        engine = store.engine
        assert queries.count_events(engine, queries.EventFilter(q="raiders")) == 1
        assert queries.count_events(engine, queries.EventFilter(q="%")) == 0
        assert queries.count_events(engine, queries.EventFilter(q="Orc_raiders")) == 0


def test_iter_events_reads_every_page_in_date_order(tmp_path: Path) -> None:
    with _store(tmp_path, 5) as store:
        found = list(queries.iter_events(store.engine, queries.EventFilter(), batch=2))
        starts = [event.date.start for event, _ in found]
        assert starts == sorted(starts) and len(set(starts)) == 5
        assert {document.id for _, document in found} == {e.doc_id for e, _ in found}


def test_date_filters_use_overlap_and_without_dates_drops_them(tmp_path: Path) -> None:
    with _store(tmp_path, 3) as store:
        window = queries.EventFilter(since=dt.date(2024, 3, 2), until=dt.date(2024, 3, 2))
        assert queries.count_events(store.engine, window) == 1
        assert queries.count_events(store.engine, window.without_dates()) == 3
        assert queries.date_bounds(store.engine) == (dt.date(2024, 3, 1), dt.date(2024, 3, 3))


def test_optional_tables(tmp_path: Path) -> None:
    with _store(tmp_path, 0) as store:
        assert queries.has_table(store.engine, "events")
        assert not queries.has_table(store.engine, "no_such_table")
        assert queries.list_failures(store.engine, limit=5, offset=0).total == 0
