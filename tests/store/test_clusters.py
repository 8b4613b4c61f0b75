"""Clusters in the store: linked on ingest, incremental, wire copies, rebuilds, filters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from dateline.link.clusters import Clusterer, LinkEvent
from dateline.models import DocumentRecord
from dateline.store import Store, schema
from dateline.store.clusters import (
    ClusterFilters,
    LinkCaches,
    Lru,
    cluster_of,
    link_document,
    read_clusters,
    rebuild_clusters,
    unclustered,
)
from dateline.store.store import _event_values

from ..link.reports import (
    MAY3,
    RUSSIAN,
    many_reports,
    market_shelling_reports,
    next_day_shelling,
    report,
    wire_copies,
)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(f"sqlite:///{tmp_path / 'clusters.sqlite'}") as opened:
        yield opened


def _groups(store: Store) -> list[list[str]]:
    with store.engine.connect() as connection:
        return sorted(sorted(c.event_ids) for c in read_clusters(connection))


def test_ingesting_reports_links_them(store: Store) -> None:
    records = [*market_shelling_reports(), next_day_shelling()]
    for record in records:
        assert store.add(record)
    market = sorted(r.events[0].id for r in records[:3])
    assert _groups(store) == sorted([market, [records[3].events[0].id]])
    with store.engine.connect() as connection:
        found = read_clusters(connection, ClusterFilters(min_sources=2))
        assert unclustered(connection) == 0
    assert len(found) == 1 and found[0].source_count == 3
    assert "fatalities_disagree" in {c.kind for c in found[0].checks}


def test_a_new_article_touches_only_its_clusters(store: Store) -> None:
    market = market_shelling_reports()
    for record in market[:2]:
        store.add(record)
    table = schema.clusters
    with store.engine.connect() as connection:
        before = connection.execute(sa.select(table.c.id, table.c.updated_at)).all()
    assert len(before) == 1
    other = next_day_shelling()
    document = other.document
    with store.engine.begin() as connection:
        connection.execute(
            sa.insert(schema.documents).values(
                id=document.id,
                content_hash=document.content_hash,
                text=document.text,
                reference_date=document.reference_date,
                record={},
                created_at=dt.datetime.now(dt.UTC),
            )
        )
        connection.execute(sa.insert(schema.events), [_event_values(other.events[0], document)])
        touched = link_document(connection, other)
    assert touched == {cluster_of_event(store, other.events[0].id)}
    with store.engine.connect() as connection:
        after = dict(connection.execute(sa.select(table.c.id, table.c.updated_at)).all())
    assert after[before[0].id] == before[0].updated_at
    store.add(market[2])
    with store.engine.connect() as connection:
        joined = cluster_of(connection, market[2].events[0].id)
    assert joined == before[0].id


def cluster_of_event(store: Store, event_id: str) -> str | None:
    with store.engine.connect() as connection:
        return cluster_of(connection, event_id)


def test_republished_wire_story_counts_once(store: Store) -> None:
    copies = wire_copies()
    for record in copies:
        store.add(record)
    store.add(market_shelling_reports()[0])
    with store.engine.connect() as connection:
        groups = dict(
            connection.execute(
                sa.select(schema.cluster_documents.c.doc_id, schema.cluster_documents.c.wire_group)
            ).all()
        )
        (cluster,) = read_clusters(connection)
    assert len({groups[r.document.id] for r in copies}) == 1
    assert cluster.event_count == 4 and cluster.document_count == 4
    assert cluster.source_count == 2


def test_rebuild_matches_incremental_and_is_repeatable(store: Store) -> None:
    for record in [next_day_shelling(), *reversed(market_shelling_reports()), *wire_copies()]:
        store.add(record)
    incremental = _groups(store)
    with store.engine.begin() as connection:
        stats = rebuild_clusters(connection)
    assert stats.events == 7
    assert _groups(store) == incremental
    with store.engine.begin() as connection:
        rebuild_clusters(connection)
    assert _groups(store) == incremental


def test_filters_select_clusters(store: Store) -> None:
    for record in [*market_shelling_reports(), next_day_shelling()]:
        store.add(record)
    with store.engine.connect() as connection:
        assert len(read_clusters(connection, ClusterFilters(since=dt.date(2024, 5, 4)))) == 1
        assert len(read_clusters(connection, ClusterFilters(until=dt.date(2024, 5, 3)))) == 1
        assert len(read_clusters(connection, ClusterFilters(country="UKR"))) == 2
        assert read_clusters(connection, ClusterFilters(country="PSE")) == []
        assert read_clusters(connection, ClusterFilters(event_type="PROTEST")) == []


@pytest.mark.postgres
def test_postgres_clusters_match_sqlite(store: Store, pg_url: str) -> None:
    records = [*market_shelling_reports(), next_day_shelling(), *wire_copies()]
    for record in records:
        store.add(record)
    with Store(pg_url) as pg:
        for record in records:
            pg.add(record)
        assert _groups(pg) == _groups(store)
        with pg.engine.connect() as connection:
            counts = sorted(c.source_count for c in read_clusters(connection))
    assert counts == [1, 4]


def test_an_unlocated_report_joins_through_the_database(store: Store) -> None:
    """A report without a place is blocked under its actors' countries (here the target's)."""
    market = market_shelling_reports()
    unlocated = report(
        "Russian forces shelled a crowded central market on 3 May, killing 7 Ukrainian civilians, "
        "the regional governor said.",
        outlet="Plain Post", trigger="shelled", day=MAY3, date_text="on 3 May", town=None,
        actor1=RUSSIAN, actor2=("Ukrainian civilians", "Civilians", "UKR"),
        deaths=("7 Ukrainian civilians", 7, 7, 7),
    )  # fmt: skip
    for record in [*market, unlocated]:
        store.add(record)
    with store.engine.connect() as connection:
        assert cluster_of(connection, unlocated.events[0].id) == cluster_of(
            connection, market[0].events[0].id
        )


def _assignments(store: Store) -> dict[str, str]:
    table = schema.cluster_events
    with store.engine.connect() as connection:
        return dict(connection.execute(sa.select(table.c.event_id, table.c.cluster_id)).all())


def _records(store: Store) -> list[dict[str, object]]:
    with store.engine.connect() as connection:
        return [c.model_dump(mode="json") for c in read_clusters(connection)]


def _store_all(
    url: str, records: list[DocumentRecord], *, cluster: bool, defer: bool = False
) -> Store:
    store = Store(url, cluster=cluster, defer_consensus=defer)
    for record in records:
        assert store.add(record)
    return store


def test_deferred_linking_then_rebuild_equals_incremental(tmp_path: Path) -> None:
    records = many_reports()
    with (
        _store_all(f"sqlite:///{tmp_path / 'now.sqlite'}", records, cluster=True) as now,
        _store_all(f"sqlite:///{tmp_path / 'later.sqlite'}", records, cluster=False) as later,
    ):
        with later.engine.connect() as connection:
            assert unclustered(connection) == sum(len(r.events) for r in records)
            assert read_clusters(connection) == []
        with later.engine.begin() as connection:
            stats = rebuild_clusters(connection)
        incremental = _assignments(now)
        assert stats.events == len(incremental)
        assert 1 < stats.clusters < len(incremental)  # some reports linked, not all
        assert _assignments(later) == incremental
        assert _records(later) == _records(now)


def test_database_linking_matches_linking_in_memory(store: Store) -> None:
    """The SQL candidate query finds what the in-memory block index finds."""
    records = many_reports(seed=9)
    for record in records:
        store.add(record)
    clusterer = Clusterer()
    for record in records:
        for event in record.events:
            clusterer.add(LinkEvent.from_event(event))
    stored: dict[str, list[str]] = {}
    for event_id, cluster in _assignments(store).items():
        stored.setdefault(cluster, []).append(event_id)
    assert sorted(map(sorted, stored.values())) == sorted(map(sorted, clusterer.members.values()))


def test_rebuild_fills_link_data_of_events_stored_without_it(store: Store) -> None:
    market = market_shelling_reports()
    for record in market:
        store.add(record)
    with store.engine.begin() as connection:
        connection.execute(sa.delete(schema.link_events))
        stats = rebuild_clusters(connection)
        filled = connection.execute(
            sa.select(sa.func.count()).select_from(schema.link_events)
        ).scalar_one()
    assert (stats.events, stats.clusters, filled) == (3, 1, 3)


def test_progress_is_reported_per_stage(store: Store) -> None:
    for record in [*market_shelling_reports(), next_day_shelling()]:
        store.add(
            record,
        )
    seen: list[tuple[str, int, int]] = []
    with store.engine.begin() as connection:
        rebuild_clusters(connection, progress=lambda *step: seen.append(step))
    assert seen[-1] == ("consensus", 2, 2)
    assert ("linking", 4, 4) in seen


def test_caches_reuse_parsed_values_and_stay_bounded() -> None:
    made: list[str] = []
    cache: Lru[str, str] = Lru(2)
    for key in ["a", "b", "a", "c", "b"]:
        assert cache.get(key, lambda k: made.append(k) or k.upper()) == key.upper()
    assert made == ["a", "b", "c", "b"]  # "b" was the least recently used when "c" came
    assert len(cache) == 2


def test_a_growing_cluster_parses_each_member_once(store: Store) -> None:
    market = market_shelling_reports()
    caches = LinkCaches()
    for record in market:
        with store.engine.begin() as connection:
            store._insert(connection, record)
            link_document(connection, record, cache=caches)
    assert len(caches.events) == 3 and len(caches.sources) == 3
    assert len(caches.links) == 2  # the first two reports, candidates of the later ones
    with store.engine.connect() as connection:
        (cluster,) = read_clusters(connection)
    assert cluster.event_count == 3


@pytest.mark.postgres
def test_postgres_deferred_linking_equals_incremental(store: Store, pg_url: str) -> None:
    records = many_reports(count=30)
    for record in records:
        store.add(record)
    with _store_all(pg_url, records, cluster=False) as pg:
        with pg.engine.begin() as connection:
            rebuild_clusters(connection)
        assert _assignments(pg) == _assignments(store)
        assert _records(pg) == _records(store)


def _pending(store: Store) -> int:
    with store.engine.connect() as connection:
        table = schema.cluster_pending
        return int(connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())


def test_consensus_written_once_per_batch_equals_once_per_document(tmp_path: Path) -> None:
    records = many_reports()
    with (
        _store_all(f"sqlite:///{tmp_path / 'now.sqlite'}", records, cluster=True) as now,
        _store_all(
            f"sqlite:///{tmp_path / 'batch.sqlite'}", records, cluster=True, defer=True
        ) as batch,
    ):
        assert _assignments(batch) == _assignments(now)  # linking itself is not deferred
        assert _pending(batch) == len(set(_assignments(batch).values()))
        assert _records(batch) == []  # no consensus record written yet
        assert batch.write_pending() == len(_records(now))
        assert _pending(batch) == 0
        assert _records(batch) == _records(now)
        assert batch.write_pending() == 0


def test_records_left_pending_by_a_stopped_batch_are_written_by_the_next_store(
    tmp_path: Path,
) -> None:
    records = many_reports(count=12)
    with _store_all(f"sqlite:///{tmp_path / 'now.sqlite'}", records, cluster=True) as now:
        url = f"sqlite:///{tmp_path / 'stopped.sqlite'}"
        _store_all(url, records[:-1], cluster=True, defer=True).close()  # no write_pending
        with Store(url) as later:
            assert _pending(later) > 0
            assert later.add(records[-1])
            assert _pending(later) == 0
            assert _records(later) == _records(now)


@pytest.mark.postgres
def test_postgres_pending_records_are_written(store: Store, pg_url: str) -> None:
    records = many_reports(count=20)
    for record in records:
        store.add(record)
    with _store_all(pg_url, records, cluster=True, defer=True) as pg:
        assert _pending(pg) > 0
        pg.write_pending()
        assert _pending(pg) == 0
        assert _records(pg) == _records(store)
