"""Clusters in the store: linked on ingest, incremental, wire copies, rebuilds, filters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from dateline.store import Store, schema
from dateline.store.clusters import (
    ClusterFilters,
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
