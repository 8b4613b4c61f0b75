"""Read-only queries over a store for the web app: filtered, paginated events, documents,
places, checks and failures, and the counts behind the timeline and the filter menus.

Every function takes a SQLAlchemy ``Engine`` and never writes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator, Sequence
from typing import Any, Generic, TypeVar

from sqlalchemy import (
    ColumnElement,
    Engine,
    Select,
    and_,
    func,
    inspect,
    or_,
    select,
)

from dateline.models import Check, Document, Event, Place, Span
from dateline.store import schema
from dateline.store.failures import Failure

T = TypeVar("T")


@dataclasses.dataclass(frozen=True, kw_only=True)
class EventFilter:
    """The filters an analyst sets on events; ``None`` means no filter on that field."""

    since: dt.date | None = None
    until: dt.date | None = None
    country: str | None = None
    event_type: str | None = None
    actor: str | None = None
    status: str | None = None
    q: str | None = None
    doc_id: str | None = None

    def without_dates(self) -> EventFilter:
        """The same filter over all dates (what the timeline shows around a selection)."""
        return dataclasses.replace(self, since=None, until=None)


@dataclasses.dataclass(frozen=True, kw_only=True)
class Page(Generic[T]):
    """One page of results and the total number that match."""

    total: int
    limit: int
    offset: int
    items: list[T]


@dataclasses.dataclass(frozen=True, kw_only=True)
class DocumentSummary:
    """A stored document without its text, with how many events were found in it."""

    id: str
    title: str | None
    url: str | None
    source: str | None
    origin: str | None
    published: dt.date | None
    reference_date: dt.date
    events: int


@dataclasses.dataclass(frozen=True, kw_only=True)
class StoredPlace:
    """A resolved place mention and the document it was found in."""

    doc_id: str
    place: Place


@dataclasses.dataclass(frozen=True, kw_only=True)
class StoredCheck:
    """A check and the document it concerns."""

    doc_id: str
    check: Check


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def event_conditions(where: EventFilter) -> list[ColumnElement[bool]]:
    """SQL conditions on the events table (and the documents' titles for ``q``)."""
    events, documents = schema.events.c, schema.documents.c
    conditions: list[ColumnElement[bool]] = []
    if where.since is not None:
        conditions.append(events.date_end >= where.since)
    if where.until is not None:
        conditions.append(events.date_start <= where.until)
    if where.country is not None:
        conditions.append(events.location_country == where.country)
    if where.event_type is not None:
        conditions.append(events.event_type == where.event_type)
    if where.status is not None:
        conditions.append(events.status == where.status)
    if where.doc_id is not None:
        conditions.append(events.doc_id == where.doc_id)
    if where.actor:
        conditions.append(
            or_(
                *(
                    column.icontains(where.actor, autoescape=True)
                    for column in (
                        events.actor1_name,
                        events.actor1_text,
                        events.actor2_name,
                        events.actor2_text,
                    )
                )
            )
        )
    if where.q:
        conditions.append(
            or_(
                events.sentence.icontains(where.q, autoescape=True),
                documents.title.icontains(where.q, autoescape=True),
                events.location_name.icontains(where.q, autoescape=True),
            )
        )
    return conditions


def _filtered(query: Select[Any], where: EventFilter) -> Select[Any]:
    joined = query.select_from(
        schema.events.join(schema.documents, schema.events.c.doc_id == schema.documents.c.id)
    )
    conditions = event_conditions(where)
    return joined.where(and_(*conditions)) if conditions else joined


def count_events(engine: Engine, where: EventFilter) -> int:
    """How many events match."""
    with engine.connect() as connection:
        query = _filtered(select(func.count()), where)
        return int(connection.execute(query).scalar_one())


def _order(query: Select[Any]) -> Select[Any]:
    c = schema.events.c
    return query.order_by(c.date_start, c.doc_id, c.sentence_start, c.id)


def _documents(engine: Engine, doc_ids: Sequence[str]) -> dict[str, Document]:
    """Documents by id, rebuilt from their rows (one query for a page of events)."""
    if not doc_ids:
        return {}
    table = schema.documents
    with engine.connect() as connection:
        rows = connection.execute(
            select(table.c.id, table.c.record).where(table.c.id.in_(sorted(set(doc_ids))))
        )
        return {row.id: Document.model_validate(_json(row.record)["document"]) for row in rows}


def list_events(
    engine: Engine, where: EventFilter, *, limit: int, offset: int
) -> Page[tuple[Event, Document]]:
    """One page of matching events with their documents, in date then text order."""
    total = count_events(engine, where)
    c = schema.events.c
    with engine.connect() as connection:
        rows = connection.execute(
            _order(_filtered(select(c.doc_id, c.record), where)).limit(limit).offset(offset)
        ).all()
    documents = _documents(engine, [row.doc_id for row in rows])
    items = [(Event.model_validate(_json(row.record)), documents[row.doc_id]) for row in rows]
    return Page(total=total, limit=limit, offset=offset, items=items)


def iter_events(
    engine: Engine, where: EventFilter, *, batch: int = 500
) -> Iterator[tuple[Event, Document]]:
    """Every matching event with its document, in pages, for downloads."""
    offset = 0
    while True:
        page = list_events(engine, where, limit=batch, offset=offset)
        yield from page.items
        offset += batch
        if offset >= page.total or not page.items:
            return


def timeline(engine: Engine, where: EventFilter) -> list[tuple[dt.date, str, int]]:
    """(start date, event type, count) for matching events, by day."""
    c = schema.events.c
    query = _filtered(select(c.date_start, c.event_type, func.count()), where)
    query = query.group_by(c.date_start, c.event_type).order_by(c.date_start, c.event_type)
    with engine.connect() as connection:
        return [(row[0], row[1], int(row[2])) for row in connection.execute(query)]


def facets(engine: Engine, where: EventFilter) -> dict[str, list[tuple[str, int]]]:
    """Counts of matching events by event type, country and status (for the filter menus)."""
    c = schema.events.c
    out: dict[str, list[tuple[str, int]]] = {}
    with engine.connect() as connection:
        for name, column in (
            ("event_type", c.event_type),
            ("country", c.location_country),
            ("status", c.status),
        ):
            query = _filtered(select(column, func.count()), where).where(column.is_not(None))
            rows = connection.execute(query.group_by(column).order_by(column))
            out[name] = [(str(row[0]), int(row[1])) for row in rows]
    return out


def date_bounds(engine: Engine) -> tuple[dt.date | None, dt.date | None]:
    """The earliest event start and the latest event end in the store."""
    c = schema.events.c
    with engine.connect() as connection:
        row = connection.execute(select(func.min(c.date_start), func.max(c.date_end))).one()
    return row[0], row[1]


def list_documents(
    engine: Engine, *, q: str | None, limit: int, offset: int
) -> Page[DocumentSummary]:
    """Stored documents, newest reference date first; ``q`` searches titles and text."""
    d, e = schema.documents.c, schema.events.c
    condition: ColumnElement[bool] | None = None
    if q:
        condition = or_(d.title.icontains(q, autoescape=True), d.text.icontains(q, autoescape=True))
    counts = select(e.doc_id, func.count().label("n")).group_by(e.doc_id).subquery("event_counts")
    query = select(
        d.id,
        d.title,
        d.url,
        d.source,
        d.origin,
        d.published,
        d.reference_date,
        func.coalesce(counts.c.n, 0),
    ).select_from(schema.documents.outerjoin(counts, counts.c.doc_id == d.id))
    total_query = select(func.count()).select_from(schema.documents)
    if condition is not None:
        query = query.where(condition)
        total_query = total_query.where(condition)
    query = query.order_by(d.reference_date.desc(), d.id).limit(limit).offset(offset)
    with engine.connect() as connection:
        total = int(connection.execute(total_query).scalar_one())
        items = [
            DocumentSummary(
                id=row[0],
                title=row[1],
                url=row[2],
                source=row[3],
                origin=row[4],
                published=row[5],
                reference_date=row[6],
                events=int(row[7]),
            )
            for row in connection.execute(query)
        ]
    return Page(total=total, limit=limit, offset=offset, items=items)


def list_places(
    engine: Engine,
    *,
    country: str | None,
    q: str | None,
    doc_id: str | None,
    limit: int,
    offset: int,
) -> Page[StoredPlace]:
    """Resolved place mentions, filtered by country, name and document."""
    p = schema.places.c
    conditions: list[ColumnElement[bool]] = []
    if country is not None:
        conditions.append(p.country == country)
    if doc_id is not None:
        conditions.append(p.doc_id == doc_id)
    if q:
        conditions.append(
            or_(p.name.icontains(q, autoescape=True), p.text.icontains(q, autoescape=True))
        )
    condition = and_(*conditions) if conditions else None
    query = select(schema.places)
    total_query = select(func.count()).select_from(schema.places)
    if condition is not None:
        query, total_query = query.where(condition), total_query.where(condition)
    query = query.order_by(p.doc_id, p.span_start, p.id).limit(limit).offset(offset)
    with engine.connect() as connection:
        total = int(connection.execute(total_query).scalar_one())
        items = [
            StoredPlace(
                doc_id=row.doc_id,
                place=Place(
                    text=row.text,
                    span=Span(start=row.span_start, end=row.span_end),
                    name=row.name,
                    lat=row.lat,
                    lon=row.lon,
                    country=row.country,
                    admin1=row.admin1,
                    geonameid=row.geonameid,
                    geo_precision=row.geo_precision,
                ),
            )
            for row in connection.execute(query)
        ]
    return Page(total=total, limit=limit, offset=offset, items=items)


def list_checks(
    engine: Engine, *, kind: str | None, doc_id: str | None, limit: int, offset: int
) -> Page[StoredCheck]:
    """Checks (findings a reader must see), filtered by kind and document."""
    c = schema.checks.c
    conditions: list[ColumnElement[bool]] = []
    if kind is not None:
        conditions.append(c.kind == kind)
    if doc_id is not None:
        conditions.append(c.doc_id == doc_id)
    condition = and_(*conditions) if conditions else None
    query = select(schema.checks)
    total_query = select(func.count()).select_from(schema.checks)
    if condition is not None:
        query, total_query = query.where(condition), total_query.where(condition)
    query = query.order_by(c.doc_id, c.id).limit(limit).offset(offset)
    with engine.connect() as connection:
        total = int(connection.execute(total_query).scalar_one())
        items = [
            StoredCheck(
                doc_id=row.doc_id,
                check=Check(kind=row.kind, message=row.message, spans=_json(row.spans)),
            )
            for row in connection.execute(query)
        ]
    return Page(total=total, limit=limit, offset=offset, items=items)


def list_failures(
    engine: Engine, *, open_only: bool = False, limit: int, offset: int
) -> Page[Failure]:
    """Documents that failed, newest first, with their reasons (without the raw input)."""
    f = schema.failures.c
    condition = f.resolved_at.is_(None) if open_only else None
    query = select(schema.failures).order_by(f.id.desc()).limit(limit).offset(offset)
    total_query = select(func.count()).select_from(schema.failures)
    if condition is not None:
        query, total_query = query.where(condition), total_query.where(condition)
    with engine.connect() as connection:
        total = int(connection.execute(total_query).scalar_one())
        items = [
            Failure.from_row({**row._mapping, "raw": None}) for row in connection.execute(query)
        ]
    return Page(total=total, limit=limit, offset=offset, items=items)


def has_table(engine: Engine, name: str) -> bool:
    """Whether the database has a table (optional tables such as clusters)."""
    return bool(inspect(engine).has_table(name))
