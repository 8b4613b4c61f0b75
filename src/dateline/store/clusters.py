"""Event clusters in the database: incremental linking of a stored document, rebuilds, reads.

``link_document`` runs in the transaction that stores a document: it finds the document's
wire group (near-duplicate text), places each of its events in a cluster (pulling from the
database only the events in the same type, date window and area) and rewrites the consensus
record of just the clusters it touched.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    CompoundSelect,
    Connection,
    Select,
    Text,
    bindparam,
    cast,
    delete,
    func,
    insert,
    select,
    text,
    union,
    update,
)

from dateline.link.clusters import (
    Clusterer,
    LinkEvent,
    LinkSettings,
    block_cell,
    block_countries,
    block_weeks,
    choose_cluster,
    cluster_id_for,
    link_score,
    max_week_span,
)
from dateline.link.consensus import (
    ClusterSource,
    EventCluster,
    SourceInfo,
    build_cluster,
    cluster_source,
)
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
K = TypeVar("K")
V = TypeVar("V")
_LOCK_KEY = 0x6C696E6B  # pg advisory lock for clustering ('link')


class Lru(Generic[K, V]):
    """A bounded map of computed values; the least recently used go first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._values: OrderedDict[K, V] = OrderedDict()

    def __len__(self) -> int:
        return len(self._values)

    def get(self, key: K, make: Callable[[K], V]) -> V:
        """The value for ``key``, made by ``make(key)`` on first sight."""
        if key in self._values:
            self._values.move_to_end(key)
            return self._values[key]
        value = make(key)
        if self.size > 0:
            self._values[key] = value
            if len(self._values) > self.size:
                self._values.popitem(last=False)
        return value


_SourceKey = tuple[str, str, str, str | None, str | None, str | None, dt.date | None]


@dataclass
class LinkCaches:
    """What a storing process keeps between documents, each keyed by the stored text it was
    parsed from (so always exactly what is stored): member events, their cluster sources and
    the packed link data of candidates. A cluster that grows is rebuilt from events parsed
    once, not once per new member."""

    events: Lru[str, Event] = field(default_factory=lambda: Lru(4096))
    sources: Lru[_SourceKey, ClusterSource] = field(default_factory=lambda: Lru(4096))
    links: Lru[str, LinkFields] = field(default_factory=lambda: Lru(16384))


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


def _area(country: str | None) -> str:
    return "" if country is None else country


def pack(event: LinkEvent) -> str:
    """The fields linking compares, and the sentence's terms, as one compact JSON text."""
    return json.dumps(
        [
            event.start.isoformat(), event.end.isoformat(), event.precision, event.mode,
            event.status, event.actor1, event.actor1_country, event.actor1_kind, event.actor2,
            event.actor2_country, event.actor2_kind, event.lat, event.lon, event.country,
            event.admin1, event.geonameid, event.geo_precision,
            list(event.fatalities) if event.fatalities is not None else None,
            sorted(event.terms),
        ],
        separators=(",", ":"),
    )  # fmt: skip


LinkFields = tuple[Any, ...]  # LinkEvent's fields after id, doc_id and event_type


def unpack_fields(data: str) -> LinkFields:
    """The fields packed by ``pack``, in ``LinkEvent`` order after id, doc_id and event_type."""
    (start, end, precision, mode, status, a1, a1c, a1k, a2, a2c, a2k, lat, lon, country, admin1,
     geonameid, geo_precision, figures, terms) = json.loads(data)  # fmt: skip
    return (
        dt.date.fromisoformat(start), dt.date.fromisoformat(end), precision, mode, status,
        a1, a1c, a1k, a2, a2c, a2k, lat, lon, country, admin1, geonameid, geo_precision,
        tuple(figures) if figures is not None else None, frozenset(terms),
    )  # fmt: skip


def unpack(event_id: str, doc_id: str, event_type: str, data: str) -> LinkEvent:
    """The linking view of a stored event from its packed data (inverse of ``pack``)."""
    return LinkEvent(event_id, doc_id, event_type, *unpack_fields(data))


def link_values(event: LinkEvent, position: int, settings: LinkSettings) -> dict[str, Any]:
    """The ``link_events`` row of an event: its blocking keys and packed data."""
    weeks = block_weeks(event, settings)
    cell = block_cell(event)
    areas = (event.country,) if cell is not None else block_countries(event)
    return {
        "event_id": event.id,
        "doc_id": event.doc_id,
        "position": position,
        "event_type": event.event_type,
        "week_lo": weeks.start if weeks is not None else None,
        "week_hi": weeks.stop - 1 if weeks is not None else None,
        "cell_row": cell[0] if cell is not None else None,
        "cell_col": cell[1] if cell is not None else None,
        "area1": _area(areas[0]),
        "area2": _area(areas[1]) if len(areas) > 1 else None,
        "data": pack(event),
    }


def store_links(
    connection: Connection, record: DocumentRecord, *, settings: LinkSettings | None = None
) -> list[LinkEvent]:
    """Store the link data of a document's events (once, as it is stored); returns them."""
    settings = settings or LinkSettings()
    links = [LinkEvent.from_event(e) for e in record.events]
    if links:
        connection.execute(
            insert(schema.link_events),
            [link_values(e, i, settings) for i, e in enumerate(links)],
        )
    return links


def fill_link_events(connection: Connection, *, settings: LinkSettings | None = None) -> int:
    """Compute the link data of stored events that have none (older databases); returns how many.

    Their place in the record is taken to be the text order of their sentences."""
    settings = settings or LinkSettings()
    links = schema.link_events
    query = (
        select(*_LINK_COLUMNS)
        .outerjoin(links, links.c.event_id == _E.id)
        .where(links.c.event_id.is_(None))
        .order_by(_E.doc_id, _E.sentence_start, _E.id)
    )
    rows: list[dict[str, Any]] = []
    doc_id, position, filled = None, 0, 0
    for row in connection.execute(query).all():
        position = position + 1 if row.doc_id == doc_id else 0
        doc_id = row.doc_id
        rows.append(link_values(_link_event(row), position, settings))
        if len(rows) >= 1000:
            connection.execute(insert(links), rows)
            filled, rows = filled + len(rows), []
    if rows:
        connection.execute(insert(links), rows)
    return filled + len(rows)


@functools.cache
def _candidate_query(with_cell: bool) -> CompoundSelect[Any]:
    """The candidate query with its values as parameters: built once, compiled once.

    One branch per index, so each is an index range, not a scan of every event of the type
    in the weeks: the neighbouring grid cells, and a shared country as either of an event's
    areas (for an event in a cell, only events without one: the cells find the others)."""
    links, members = schema.link_events, schema.cluster_events

    def branch(*where: ColumnElement[bool]) -> Select[Any]:
        return (
            select(
                # Named, so the union's ORDER BY can name them on SQLite.
                links.c.event_id.label("event_id"), links.c.doc_id, links.c.event_type,
                links.c.data, members.c.cluster_id,
            )
            .join(members, members.c.event_id == links.c.event_id)
            .where(
                links.c.event_type == bindparam("event_type"),
                *where,
                # A bounded index range on the first week; the last week makes it exact.
                links.c.week_lo.between(bindparam("first_lo"), bindparam("hi")),
                links.c.week_hi >= bindparam("lo"),
                links.c.doc_id != bindparam("doc_id"),
            )
        )  # fmt: skip

    countries: BindParameter[Any] = bindparam("countries", expanding=True)
    coarse = [links.c.cell_row.is_(None)] if with_cell else []
    branches = [
        branch(links.c.area1.in_(countries), *coarse),
        branch(links.c.area2.in_(countries), *coarse),
    ]
    if with_cell:
        branches.insert(
            0,
            branch(
                links.c.cell_row.between(bindparam("row_lo"), bindparam("row_hi")),
                links.c.cell_col.between(bindparam("col_lo"), bindparam("col_hi")),
            ),
        )
    # UNION, not UNION ALL: an event may be found by two branches.
    return union(*branches).order_by("event_id")


def _candidates(connection: Connection, event: LinkEvent, settings: LinkSettings) -> list[Any]:
    """Clustered events of other documents sharing a block with ``event``: rows of (event_id,
    doc_id, event_type, data, cluster_id), in event id order.

    The same blocks as ``BlockIndex``: same type and a shared week, and either neighbouring
    grid cells (two towns) or a shared country (when either place is coarser)."""
    weeks = block_weeks(event, settings)
    if weeks is None:
        return []
    lo, hi = weeks.start, weeks.stop - 1
    cell = block_cell(event)
    countries = [_area(c) for c in block_countries(event)]
    params: dict[str, Any] = {
        "event_type": event.event_type,
        "first_lo": lo - max_week_span(settings),
        "hi": hi,
        "lo": lo,
        "doc_id": event.doc_id,
        "countries": countries,
    }
    if cell is not None:
        row, col = cell
        params.update(
            row_lo=row - 1, row_hi=row + 1, col_lo=col - 1, col_hi=col + 1,
        )  # fmt: skip
    return list(connection.execute(_candidate_query(cell is not None), params))


def _scores(
    event: LinkEvent,
    rows: Sequence[Any],
    settings: LinkSettings,
    cache: Lru[str, LinkFields] | None,
) -> tuple[list[tuple[str, float]], dict[str, str]]:
    """(candidate id, score) for the candidates that can match, and their clusters.

    Candidates with the same packed data (copies of one wire story say the same thing) are
    scored once: the score depends on nothing else, their documents being other documents."""
    known: dict[str, float | None] = {}
    scored: list[tuple[str, float]] = []
    membership: dict[str, str] = {}
    for row in rows:
        if row.data in known:
            score = known[row.data]
        else:
            fields = (
                cache.get(row.data, unpack_fields) if cache is not None else unpack_fields(row.data)
            )
            candidate = LinkEvent(row.event_id, row.doc_id, row.event_type, *fields)
            score = known[row.data] = link_score(event, candidate, settings)
        if score is not None and score > 0:
            scored.append((row.event_id, score))
            membership[row.event_id] = row.cluster_id
    return scored, membership


def _sizes(connection: Connection, cluster_ids: Iterable[str]) -> dict[str, int]:
    ids = sorted(set(cluster_ids))
    sizes: dict[str, int] = {}
    table = schema.cluster_events
    for start in range(0, len(ids), 500):
        rows = connection.execute(
            select(table.c.cluster_id, func.count())
            .where(table.c.cluster_id.in_(ids[start : start + 500]))
            .group_by(table.c.cluster_id)
        )
        sizes.update({r[0]: int(r[1]) for r in rows})
    return sizes


def link_document(
    connection: Connection,
    record: DocumentRecord,
    *,
    settings: LinkSettings | None = None,
    cache: LinkCaches | None = None,
    defer: bool = False,
) -> set[str]:
    """Cluster a just-stored document's events; returns the ids of the clusters it touched.

    Stores the events' link data too; each event is compared with the clustered events of its
    blocks only, read from that data, and only the touched clusters' records are rewritten:
    now, with any left pending, or with ``defer`` marked pending for ``write_pending``.
    Linking reads memberships, never the records, so deferring changes no decision."""
    settings = settings or LinkSettings()
    _lock_linking(connection)
    _store_signature(connection, record.document.id, record.document.text)
    links = store_links(connection, record, settings=settings)
    # Candidates come from other documents only, so none of this document's choices changes
    # another's candidates, or the size of a cluster it has not joined: both are read first.
    found = [
        _scores(
            linked,
            _candidates(connection, linked, settings),
            settings,
            cache.links if cache is not None else None,
        )
        for linked in links
    ]
    sizes = _sizes(connection, {c for _, membership in found for c in membership.values()})
    touched: set[str] = set()
    placed: list[dict[str, Any]] = []
    for linked, (scored, membership) in zip(links, found, strict=True):
        chosen = choose_cluster(
            linked,
            scored,
            membership=membership,
            sizes=sizes,
            # The document is new: the clusters holding one of its events are those it touched.
            documents={c: {linked.doc_id} for c in touched},
            settings=settings,
        )
        cluster = cluster_id_for(linked.id) if chosen is None else chosen[0]
        placed.append(
            {
                "event_id": linked.id,
                "cluster_id": cluster,
                "doc_id": linked.doc_id,
                "score": None if chosen is None else chosen[1],
            }
        )
        touched.add(cluster)
    if placed:
        connection.execute(insert(schema.cluster_events), placed)
    if defer:
        _mark_pending(connection, touched)
    else:
        write_clusters(connection, touched | _take_pending(connection), cache=cache)
    return touched


def _lock_linking(connection: Connection) -> None:
    """On PostgreSQL, link and write clusters one transaction at a time (until commit), so two
    never write the same cluster; SQLite already serialises writers."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})


def _mark_pending(connection: Connection, cluster_ids: Iterable[str]) -> None:
    """Note clusters whose consensus record is to be rewritten by ``write_pending``."""
    table = schema.cluster_pending
    ids = sorted(set(cluster_ids))
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        known = set(
            connection.scalars(select(table.c.cluster_id).where(table.c.cluster_id.in_(chunk)))
        )
        new = [{"cluster_id": c} for c in chunk if c not in known]
        if new:
            connection.execute(insert(table), new)


def _take_pending(connection: Connection) -> set[str]:
    """The pending cluster ids, removed from the table (the caller rewrites them)."""
    table = schema.cluster_pending
    ids = set(connection.scalars(select(table.c.cluster_id)))
    if ids:
        connection.execute(delete(table))
    return ids


def write_pending(connection: Connection, *, cache: LinkCaches | None = None) -> int:
    """Rewrite the consensus records of every pending cluster; returns how many.

    Takes the linking lock on PostgreSQL, so no document is linked into a cluster between
    reading the pending list and clearing it."""
    _lock_linking(connection)
    ids = _take_pending(connection)
    write_clusters(connection, ids, cache=cache)
    return len(ids)


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


def _source_maker(
    cache: LinkCaches | None, texts: dict[int, str]
) -> Callable[[Event, SourceInfo], ClusterSource]:
    """Cluster sources, reused from the cache when the same stored event and document recur."""
    if cache is None:
        return cluster_source

    def source(event: Event, info: SourceInfo) -> ClusterSource:
        key = (texts[id(event)], info.doc_id, info.wire_group, info.title, info.url,
               info.source, info.published)  # fmt: skip
        return cache.sources.get(key, lambda _key: cluster_source(event, info))

    return source


def write_clusters(
    connection: Connection,
    cluster_ids: Iterable[str],
    *,
    cache: LinkCaches | None = None,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Recompute and store the consensus records of these clusters from their member events.

    Existing rows are updated in place and new ones inserted; no other cluster is read."""
    ids = sorted(set(cluster_ids))
    if not ids:
        return
    table, members = schema.clusters, schema.cluster_events
    now = dt.datetime.now(dt.UTC)
    for start in range(0, len(ids), 200):
        chunk = ids[start : start + 200]
        rows = connection.execute(
            select(
                members.c.cluster_id,
                # Parsed by pydantic from the text in one step (no json.loads, then validation).
                cast(schema.events.c.record, Text).label("record"),
                schema.events.c.doc_id,
            )
            .join(schema.events, schema.events.c.id == members.c.event_id)
            .where(members.c.cluster_id.in_(chunk))
            .order_by(members.c.cluster_id, members.c.event_id)
        ).all()
        infos = _source_infos(connection, (r.doc_id for r in rows))
        grouped: dict[str, list[tuple[Event, SourceInfo]]] = defaultdict(list)
        texts: dict[int, str] = {}  # id of a parsed event -> its stored text (for sources)
        for row in rows:
            if cache is None:
                event = Event.model_validate_json(row.record)
            else:
                event = cache.events.get(row.record, Event.model_validate_json)
                texts[id(event)] = row.record
            grouped[row.cluster_id].append((event, infos[row.doc_id]))

        source = _source_maker(cache, texts)
        existing = set(connection.scalars(select(table.c.id).where(table.c.id.in_(chunk))))
        gone = [c for c in chunk if not grouped[c] and c in existing]
        if gone:
            connection.execute(delete(table).where(table.c.id.in_(gone)))
        values = [
            _cluster_values(build_cluster(c, grouped[c], source=source), now)
            for c in chunk
            if grouped[c]
        ]
        changed = [{**v, "_id": v["id"]} for v in values if v["id"] in existing]
        if changed:
            connection.execute(
                update(table)
                .where(table.c.id == bindparam("_id"))
                .values({c.name: bindparam(c.name) for c in table.columns if c.name != "id"}),
                [{k: v for k, v in row.items() if k != "id"} for row in changed],
            )
        new = [v for v in values if v["id"] not in existing]
        if new:
            connection.execute(insert(table), new)
        if progress is not None:
            progress(len(chunk))


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
    # Streamed; the option goes on the statement (on the connection it would stay set, and
    # PostgreSQL cannot run the DELETEs below through a server-side cursor).
    for row in connection.execute(query.execution_options(yield_per=1000)):
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


Progress = Callable[[str, int, int], None]  # (stage, done, total)


def rebuild_clusters(
    connection: Connection,
    *,
    settings: LinkSettings | None = None,
    progress: Progress | None = None,
) -> RebuildStats:
    """Recluster every stored event in one blocked pass, replaying the order of storage.

    Documents are taken in the order they were stored and their events in record order, as
    incremental linking takes them, so ``--no-cluster`` then a rebuild gives the same
    clusters as linking each document when it is stored."""
    settings = settings or LinkSettings()
    report = progress or (lambda _stage, _done, _total: None)
    _rebuild_signatures(connection)
    fill_link_events(connection, settings=settings)
    connection.execute(delete(schema.cluster_events))
    connection.execute(delete(schema.clusters))
    connection.execute(delete(schema.cluster_pending))  # every cluster is rewritten below
    links, docs = schema.link_events, schema.documents
    total = int(connection.execute(select(func.count()).select_from(links)).scalar_one())
    query = (
        select(links.c.event_id, links.c.doc_id, links.c.event_type, links.c.data)
        .join(docs, docs.c.id == links.c.doc_id)
        .order_by(docs.c.created_at, docs.c.id, links.c.position, links.c.event_id)
    )
    clusterer = Clusterer(settings)
    rows: list[dict[str, Any]] = []
    for done, row in enumerate(connection.execute(query), start=1):
        event = unpack(row.event_id, row.doc_id, row.event_type, row.data)
        placed = clusterer.add(event)
        rows.append(
            {
                "event_id": event.id,
                "cluster_id": placed.cluster_id,
                "doc_id": event.doc_id,
                "score": placed.score,
            }
        )
        if done % 1000 == 0 or done == total:
            report("linking", done, total)
    for start in range(0, len(rows), 1000):
        connection.execute(insert(schema.cluster_events), rows[start : start + 1000])
    written = 0

    def step(count: int) -> None:
        nonlocal written
        written += count
        report("consensus", written, len(clusterer.members))

    write_clusters(connection, clusterer.members, progress=step)
    return RebuildStats(
        events=len(rows), clusters=len(clusterer.members), compared=clusterer.compared
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
