"""Event clusters in the database: incremental linking of a stored document, rebuilds, reads.

``link_document`` runs in the transaction that stores a document: it finds the document's
wire group (near-duplicate text), places each of its events in a cluster (pulling from the
database only the events in the same type, date window and area) and rewrites the consensus
record of just the clusters it touched.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, delete, func, insert, or_, select, text

from dateline.link.clusters import (
    BlockIndex,
    Clusterer,
    LinkEvent,
    LinkSettings,
    block_countries,
    choose_cluster,
    cluster_id_for,
    link_score,
)
from dateline.link.consensus import EventCluster, SourceInfo, build_cluster
from dateline.link.text import TextSignature, band_keys, content_terms, near_duplicate, signature
from dateline.models import DocumentRecord, Event
from dateline.store import schema

_E = schema.events.c
_LINK_COLUMNS = (
    _E.id, _E.doc_id, _E.event_type, _E.mode, _E.status, _E.actor1_name, _E.actor1_country,
    _E.actor1_kind, _E.actor2_name, _E.actor2_country, _E.actor2_kind, _E.location_lat,
    _E.location_lon, _E.location_country, _E.location_admin1, _E.location_geonameid,
    _E.location_geo_precision, _E.date_start, _E.date_end, _E.date_precision,
    _E.fatalities_low, _E.fatalities_best, _E.fatalities_high, _E.fatalities_cumulative,
    _E.sentence,
)  # fmt: skip
_LOCK_KEY = 0x6C696E6B  # pg advisory lock for clustering ('link')
_BOX_DEGREES = 1.0  # covers the 3 x 3 blocking cells of 0.5° around a town


@dataclass(frozen=True, slots=True)
class ClusterFilters:
    """Which clusters to read: dates, country, type and a minimum of independent sources."""

    since: dt.date | None = None
    until: dt.date | None = None
    country: str | None = None
    event_type: str | None = None
    min_sources: int = 1


def _link_event(row: Any) -> LinkEvent:
    figures = None
    if not row.fatalities_cumulative and (
        row.fatalities_low is not None
        or row.fatalities_best is not None
        or row.fatalities_high is not None
    ):
        figures = (row.fatalities_low, row.fatalities_best, row.fatalities_high)
    return LinkEvent(
        id=row.id,
        doc_id=row.doc_id,
        event_type=row.event_type,
        start=row.date_start,
        end=row.date_end,
        precision=row.date_precision,
        mode=row.mode,
        status=row.status,
        actor1=row.actor1_name,
        actor1_country=row.actor1_country,
        actor1_kind=row.actor1_kind,
        actor2=row.actor2_name,
        actor2_country=row.actor2_country,
        actor2_kind=row.actor2_kind,
        lat=row.location_lat,
        lon=row.location_lon,
        country=row.location_country,
        admin1=row.location_admin1,
        geonameid=row.location_geonameid,
        geo_precision=row.location_geo_precision,
        fatalities=figures,
        terms=content_terms(row.sentence or ""),
    )


def _signature_of(row: Any) -> TextSignature:
    values = row.signature if not isinstance(row.signature, str) else json.loads(row.signature)
    return TextSignature(values=tuple(values), shingles=row.shingles)


def _store_signature(connection: Connection, doc_id: str, text: str) -> str:
    """Record a document's MinHash signature; its wire group is that of an earlier copy, if any."""
    sig = signature(text)
    keys = band_keys(sig)
    group = doc_id
    if keys:
        bands, docs = schema.cluster_bands, schema.cluster_documents
        rows = connection.execute(
            select(docs.c.doc_id, docs.c.wire_group, docs.c.shingles, docs.c.signature)
            .where(
                docs.c.doc_id.in_(select(bands.c.doc_id).where(bands.c.band_key.in_(keys))),
                docs.c.doc_id != doc_id,
            )
            .order_by(docs.c.doc_id)
        ).all()
        for row in rows:
            if near_duplicate(sig, _signature_of(row)):
                group = row.wire_group
                break
        connection.execute(insert(bands), [{"band_key": k, "doc_id": doc_id} for k in keys])
    connection.execute(
        insert(schema.cluster_documents).values(
            doc_id=doc_id, wire_group=group, shingles=sig.shingles, signature=list(sig.values)
        )
    )
    return group


def _candidate_rows(
    connection: Connection, event: LinkEvent, settings: LinkSettings
) -> list[LinkEvent]:
    """Stored events of the same type whose date and area could match (a superset of the block)."""
    lo = event.start - dt.timedelta(days=settings.reported_days)
    hi = event.end + dt.timedelta(days=settings.reported_days)
    unlocated: ColumnElement[bool] = _E.location_country.is_(None)
    area: ColumnElement[bool] = unlocated
    countries = [c for c in block_countries(event) if c is not None]
    if countries:
        # Unlocated events stand in their actors' countries (see BlockIndex).
        area = or_(
            _E.location_country.in_(countries),
            and_(
                unlocated,
                or_(_E.actor1_country.in_(countries), _E.actor2_country.in_(countries)),
            ),
        )
    if event.lat is not None and event.lon is not None:
        area = or_(
            area,
            and_(
                _E.location_lat.between(event.lat - _BOX_DEGREES, event.lat + _BOX_DEGREES),
                _E.location_lon.between(event.lon - _BOX_DEGREES, event.lon + _BOX_DEGREES),
            ),
        )
    query = (
        select(*_LINK_COLUMNS)
        .join(schema.cluster_events, schema.cluster_events.c.event_id == _E.id)
        .where(
            _E.event_type == event.event_type,
            # The lower bound on date_start keeps this a bounded index range: events whose
            # window is longer than longest_window_days never link.
            _E.date_start.between(lo - dt.timedelta(days=settings.longest_window_days), hi),
            _E.date_end >= lo,
            _E.doc_id != event.doc_id,
            area,
        )
    )
    return [_link_event(row) for row in connection.execute(query)]


def _cluster_facts(
    connection: Connection, cluster_ids: Iterable[str]
) -> tuple[dict[str, int], dict[str, set[str]]]:
    ids = sorted(set(cluster_ids))
    sizes: dict[str, int] = defaultdict(int)
    documents: dict[str, set[str]] = defaultdict(set)
    table = schema.cluster_events
    for start in range(0, len(ids), 500):
        rows = connection.execute(
            select(table.c.cluster_id, table.c.doc_id).where(
                table.c.cluster_id.in_(ids[start : start + 500])
            )
        )
        for row in rows:
            sizes[row.cluster_id] += 1
            documents[row.cluster_id].add(row.doc_id)
    return sizes, documents


def _membership(connection: Connection, event_ids: Sequence[str]) -> dict[str, str]:
    table = schema.cluster_events
    found: dict[str, str] = {}
    for start in range(0, len(event_ids), 500):
        rows = connection.execute(
            select(table.c.event_id, table.c.cluster_id).where(
                table.c.event_id.in_(event_ids[start : start + 500])
            )
        )
        found.update({r.event_id: r.cluster_id for r in rows})
    return found


def link_document(
    connection: Connection, record: DocumentRecord, *, settings: LinkSettings | None = None
) -> set[str]:
    """Cluster a just-stored document's events; returns the ids of the clusters it touched."""
    settings = settings or LinkSettings()
    if connection.dialect.name == "postgresql":
        # Parallel ingests cluster one at a time (until commit), so two transactions never
        # write the same cluster; SQLite already serialises writers.
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
    _store_signature(connection, record.document.id, record.document.text)
    touched: set[str] = set()
    for event in record.events:
        linked = LinkEvent.from_event(event)
        index = BlockIndex(settings)
        for candidate in _candidate_rows(connection, linked, settings):
            index.add(candidate)
        candidates = index.candidates(linked)
        scored = [
            (c, s)
            for c in candidates
            if (s := link_score(linked, c, settings)) is not None and s > 0
        ]
        membership = _membership(connection, [c.id for c, _ in scored])
        sizes, documents = _cluster_facts(connection, membership.values())
        chosen = choose_cluster(
            linked,
            scored,
            membership=membership,
            sizes=sizes,
            documents=documents,
            settings=settings,
        )
        cluster = cluster_id_for(event.id) if chosen is None else chosen[0]
        connection.execute(
            insert(schema.cluster_events).values(
                event_id=event.id,
                cluster_id=cluster,
                doc_id=event.doc_id,
                score=None if chosen is None else chosen[1],
            )
        )
        touched.add(cluster)
    write_clusters(connection, touched)
    return touched


def _source_infos(connection: Connection, doc_ids: Iterable[str]) -> dict[str, SourceInfo]:
    docs, sigs = schema.documents, schema.cluster_documents
    ids = sorted(set(doc_ids))
    infos: dict[str, SourceInfo] = {}
    for start in range(0, len(ids), 500):
        rows = connection.execute(
            select(
                docs.c.id,
                docs.c.title,
                docs.c.url,
                docs.c.source,
                docs.c.published,
                docs.c.reference_date,
                sigs.c.wire_group,
            )
            .outerjoin(sigs, sigs.c.doc_id == docs.c.id)
            .where(docs.c.id.in_(ids[start : start + 500]))
        )
        for row in rows:
            infos[row.id] = SourceInfo(
                doc_id=row.id,
                wire_group=row.wire_group or row.id,
                title=row.title,
                url=row.url,
                source=row.source,
                published=row.published,
                reference_date=row.reference_date,
            )
    return infos


def write_clusters(connection: Connection, cluster_ids: Iterable[str]) -> None:
    """Recompute and store the consensus records of these clusters from their member events."""
    ids = sorted(set(cluster_ids))
    if not ids:
        return
    table, members = schema.clusters, schema.cluster_events
    now = dt.datetime.now(dt.UTC)
    for start in range(0, len(ids), 200):
        chunk = ids[start : start + 200]
        rows = connection.execute(
            select(members.c.cluster_id, schema.events.c.record, schema.events.c.doc_id)
            .join(schema.events, schema.events.c.id == members.c.event_id)
            .where(members.c.cluster_id.in_(chunk))
            .order_by(members.c.cluster_id, members.c.event_id)
        ).all()
        infos = _source_infos(connection, (r.doc_id for r in rows))
        grouped: dict[str, list[tuple[Event, SourceInfo]]] = defaultdict(list)
        for row in rows:
            data = row.record if not isinstance(row.record, str) else json.loads(row.record)
            grouped[row.cluster_id].append((Event.model_validate(data), infos[row.doc_id]))
        connection.execute(delete(table).where(table.c.id.in_(chunk)))
        values = [_cluster_values(build_cluster(c, grouped[c]), now) for c in chunk if grouped[c]]
        if values:
            connection.execute(insert(table), values)


_INT_MIN, _INT_MAX = -(2**31), 2**31 - 1  # INTEGER on PostgreSQL


def _column_int(value: int | None) -> int | None:
    """A figure too large for an INTEGER column is NULL there; the record keeps it."""
    return value if value is None or _INT_MIN <= value <= _INT_MAX else None


def _cluster_values(cluster: EventCluster, now: dt.datetime) -> dict[str, Any]:
    loc = cluster.location
    return {
        "id": cluster.id,
        "event_type": cluster.event_type,
        "mode": cluster.mode,
        "acled_event_type": cluster.acled_event_type,
        "acled_sub_event_type": cluster.acled_sub_event_type,
        "actor1": cluster.actor1,
        "actor2": cluster.actor2,
        "location_name": loc.name if loc else None,
        "location_lat": loc.lat if loc else None,
        "location_lon": loc.lon if loc else None,
        "location_country": loc.country if loc else None,
        "location_admin1": loc.admin1 if loc else None,
        "location_geo_precision": loc.geo_precision if loc else None,
        "date_start": cluster.date_start,
        "date_end": cluster.date_end,
        "date_precision": cluster.date_precision,
        "fatalities_low": _column_int(cluster.fatalities_low),
        "fatalities_best": _column_int(cluster.fatalities_best),
        "fatalities_high": _column_int(cluster.fatalities_high),
        "event_count": cluster.event_count,
        "document_count": cluster.document_count,
        "source_count": cluster.source_count,
        "check_count": len(cluster.checks),
        "record": cluster.model_dump(mode="json"),
        "updated_at": now,
    }


@dataclass(frozen=True, slots=True)
class RebuildStats:
    """What a rebuild did: events clustered, clusters made, pairs scored."""

    events: int
    clusters: int
    compared: int


def _rebuild_signatures(connection: Connection) -> None:
    """Recompute every document's signature and wire group in memory, in ingest order."""
    docs = schema.documents
    sigs: dict[str, TextSignature] = {}
    groups: dict[str, str] = {}
    by_band: dict[str, list[str]] = defaultdict(list)
    band_rows: list[dict[str, str]] = []
    query = select(docs.c.id, docs.c.text).order_by(docs.c.created_at, docs.c.id)
    for row in connection.execution_options(yield_per=1000).execute(query):
        sig = signature(row.text)
        keys = band_keys(sig)
        candidates = sorted({other for key in keys for other in by_band.get(key, ())})
        groups[row.id] = next(
            (groups[o] for o in candidates if near_duplicate(sig, sigs[o])), row.id
        )
        sigs[row.id] = sig
        for key in keys:
            by_band[key].append(row.id)
            band_rows.append({"band_key": key, "doc_id": row.id})
    connection.execute(delete(schema.cluster_bands))
    connection.execute(delete(schema.cluster_documents))
    doc_rows = [
        {
            "doc_id": d,
            "wire_group": groups[d],
            "shingles": sig.shingles,
            "signature": list(sig.values),
        }
        for d, sig in sigs.items()
    ]
    for start in range(0, len(doc_rows), 1000):
        connection.execute(insert(schema.cluster_documents), doc_rows[start : start + 1000])
    for start in range(0, len(band_rows), 5000):
        connection.execute(insert(schema.cluster_bands), band_rows[start : start + 5000])


def rebuild_clusters(
    connection: Connection, *, settings: LinkSettings | None = None
) -> RebuildStats:
    """Recluster every stored event from scratch, in canonical order (deterministic)."""
    settings = settings or LinkSettings()
    _rebuild_signatures(connection)
    connection.execute(delete(schema.cluster_events))
    connection.execute(delete(schema.clusters))
    clusterer = Clusterer(settings)
    assignments = clusterer.add_all(
        _link_event(r) for r in connection.execute(select(*_LINK_COLUMNS))
    )
    rows = [
        {
            "event_id": a.event_id,
            "cluster_id": a.cluster_id,
            "doc_id": clusterer.index.get(a.event_id).doc_id,
            "score": a.score,
        }
        for a in assignments
    ]
    for start in range(0, len(rows), 1000):
        connection.execute(insert(schema.cluster_events), rows[start : start + 1000])
    write_clusters(connection, clusterer.members)
    return RebuildStats(
        events=len(assignments), clusters=len(clusterer.members), compared=clusterer.compared
    )


def read_clusters(
    connection: Connection, filters: ClusterFilters | None = None
) -> list[EventCluster]:
    """Stored clusters matching the filters, by date then id."""
    filters = filters or ClusterFilters()
    table = schema.clusters
    query = select(table.c.record).where(table.c.source_count >= filters.min_sources)
    if filters.since is not None:
        query = query.where(table.c.date_end >= filters.since)
    if filters.until is not None:
        query = query.where(table.c.date_start <= filters.until)
    if filters.country is not None:
        query = query.where(table.c.location_country == filters.country)
    if filters.event_type is not None:
        query = query.where(table.c.event_type == filters.event_type)
    query = query.order_by(table.c.date_start, table.c.id)
    return [
        EventCluster.model_validate(
            r.record if not isinstance(r.record, str) else json.loads(r.record)
        )
        for r in connection.execute(query)
    ]


def cluster_of(connection: Connection, event_id: str) -> str | None:
    """The id of the cluster an event belongs to, if it has been clustered."""
    table = schema.cluster_events
    return connection.execute(
        select(table.c.cluster_id).where(table.c.event_id == event_id)
    ).scalar_one_or_none()


def unclustered(connection: Connection) -> int:
    """Stored events with no cluster yet (a database from before clustering needs a rebuild)."""
    return int(
        connection.execute(
            select(func.count())
            .select_from(schema.events)
            .outerjoin(schema.cluster_events, schema.cluster_events.c.event_id == _E.id)
            .where(schema.cluster_events.c.event_id.is_(None))
        ).scalar_one()
    )
