"""The store: records in SQLite (default) or PostgreSQL, one transaction per document.

Re-adding a document with the same content hash is a no-op; a document that fails
half-way leaves nothing behind; failures are rows too, so nothing is silently dropped.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from collections.abc import Callable, Iterator, Sequence
from importlib import resources
from types import TracebackType
from typing import Any, TypeVar

from sqlalchemy import (
    Connection,
    Engine,
    create_engine,
    event,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError

from dateline.errors import StoreError
from dateline.export.rows import event_row
from dateline.models import Document, DocumentRecord, Event, RawDocument, Rejected
from dateline.store import schema
from dateline.store.clusters import LinkCaches, link_document, store_links, write_pending
from dateline.store.failures import Failure
from dateline.store.queries import EventFilter, event_conditions

T = TypeVar("T")
# Transient errors (SQLite busy past its timeout, PostgreSQL serialization failures or
# deadlocks, a dropped connection) are retried this many times with doubling pauses.
WRITE_ATTEMPTS = 5
_FIRST_PAUSE = 0.05
# Any constant shared by all dateline processes: the key of the migration lock on PostgreSQL.
_MIGRATION_LOCK = 0x0DA7E11E
_INT_MIN, _INT_MAX = -(2**31), 2**31 - 1  # INTEGER on PostgreSQL; SQLite holds the same

log = logging.getLogger(__name__)


def normalise_url(url: str) -> str:
    """Plain postgresql:// URLs use psycopg 3, the driver dateline installs."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # SQLAlchemy, not the sqlite3 module, starts transactions (see _sqlite_begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers do not block the writer
    # In WAL mode NORMAL syncs at checkpoints, not at every commit: a committed document
    # survives the process being killed; only a power cut can undo the last few commits,
    # and a rerun stores those again (the content hash tells what is there).
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    """Writers take the write lock up front (BEGIN IMMEDIATE), so the busy timeout applies;
    a read transaction upgraded to a write in WAL mode fails at once instead of waiting."""
    write = connection.get_execution_options().get("dateline_write", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def upgrade(connection: Connection) -> None:
    """Run the Alembic migrations to head on an open connection."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option(
        "script_location", str(resources.files("dateline.store").joinpath("migrations"))
    )
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


class Store:
    """Documents, events, places, checks and failures behind one SQLAlchemy engine."""

    def __init__(self, url: str, *, cluster: bool = True, defer_consensus: bool = False) -> None:
        """Open (and migrate) a database; ``cluster=False`` stores events without linking them
        across documents until ``dateline clusters --rebuild``. ``defer_consensus`` links each
        document as it is stored but rewrites the touched clusters' records only at
        ``write_pending`` (batch ingest calls it once per chunk)."""
        self.url = normalise_url(url)
        self.cluster = cluster
        self.defer_consensus = defer_consensus
        self._parsed = LinkCaches()  # cluster members and link data, parsed once per process
        try:
            self.engine: Engine = create_engine(self.url, future=True)
            if self.engine.dialect.name == "sqlite":
                event.listen(self.engine, "connect", _sqlite_pragmas)
                event.listen(self.engine, "begin", _sqlite_begin)
            self._write(self._migrate, what="migrate")
        except (SQLAlchemyError, OSError) as exc:
            raise StoreError(f"cannot open the database {url!r}: {exc}") from exc

    def _migrate(self, connection: Connection) -> None:
        # Processes opening a new database together migrate one after the other.
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
        upgrade(connection)

    def _write(self, work: Callable[[Connection], T], *, what: str) -> T:
        """Run ``work`` in one write transaction, retrying transient errors; StoreError after."""
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            try:
                with self.engine.connect() as connection:
                    connection.execution_options(dateline_write=True)
                    with connection.begin():
                        return work(connection)
            except OperationalError as exc:
                if attempt == WRITE_ATTEMPTS:
                    raise StoreError(
                        f"could not {what} after {attempt} attempts: {exc.orig}"
                    ) from exc
                log.warning("retrying %s after a transient error: %s", what, exc.orig)
                time.sleep(_FIRST_PAUSE * 2 ** (attempt - 1))
        raise AssertionError("unreachable")  # pragma: no cover

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Release the connection pool."""
        self.engine.dispose()

    def add(self, record: DocumentRecord) -> bool:
        """Store a record in one transaction; False (and nothing written) if already stored.

        Open failure records for the same origin are marked resolved in that transaction."""
        document = record.document

        def work(connection: Connection) -> bool:
            exists = connection.execute(
                select(schema.documents.c.id).where(
                    schema.documents.c.content_hash == document.content_hash
                )
            ).first()
            if exists is None:
                self._insert(connection, record)
                if self.cluster:  # cross-document clusters, same transaction
                    link_document(
                        connection, record, cache=self._parsed, defer=self.defer_consensus
                    )
                else:
                    store_links(connection, record)  # what a later rebuild needs
            _resolve(connection, document.origin, exists[0] if exists else document.id)
            return exists is None

        try:
            return self._write(work, what=f"store {document.origin or document.id}")
        except IntegrityError:
            # Another process stored the same text between our check and our insert.
            return False

    def write_pending(self) -> int:
        """Rewrite the consensus records of clusters left pending; returns how many."""
        return self._write(
            lambda connection: write_pending(connection, cache=self._parsed),
            what="write cluster records",
        )

    def _insert(self, connection: Connection, record: DocumentRecord) -> None:
        document = record.document
        connection.execute(
            insert(schema.documents).values(
                id=document.id,
                content_hash=document.content_hash,
                title=document.title,
                url=document.url,
                source=document.source,
                origin=document.origin,
                published=document.published,
                reference_date=document.reference_date,
                text=document.text,
                record=record.model_dump(mode="json"),
                created_at=dt.datetime.now(dt.UTC),
            )
        )
        if record.events:
            connection.execute(
                insert(schema.events), [_event_values(e, document) for e in record.events]
            )
        if record.places:
            connection.execute(
                insert(schema.places),
                [
                    {
                        "doc_id": document.id,
                        "text": p.text,
                        "span_start": p.span.start,
                        "span_end": p.span.end,
                        "name": p.name,
                        "lat": p.lat,
                        "lon": p.lon,
                        "country": p.country,
                        "admin1": p.admin1,
                        "geonameid": p.geonameid,
                        "geo_precision": p.geo_precision,
                    }
                    for p in record.places
                ],
            )
        if record.checks:
            connection.execute(
                insert(schema.checks),
                [
                    {
                        "doc_id": document.id,
                        "kind": c.kind,
                        "message": c.message,
                        "spans": [s.model_dump(mode="json") for s in c.spans],
                    }
                    for c in record.checks
                ],
            )

    def add_failure(
        self, rejected: Rejected, *, raw: RawDocument | None = None, failure_id: int | None = None
    ) -> Failure:
        """Store a failure with its reason (and the raw document, to retry it without the file).

        A new failure of a still-open origin (or of ``failure_id``) updates that record and
        counts the attempt."""
        now = dt.datetime.now(dt.UTC)
        values: dict[str, Any] = {
            "stage": rejected.stage,
            "code": rejected.code,
            "reason": rejected.reason,
            "doc_id": rejected.doc_id,
            "updated_at": now,
        }
        if raw is not None:
            values["raw"] = raw.model_dump(mode="json")
        table = schema.failures

        def work(connection: Connection) -> int:
            found = None
            if failure_id is not None:
                found = connection.execute(
                    select(table.c.id).where(table.c.id == failure_id)
                ).first()
            elif not rejected.origin.startswith("<"):  # "<stdin>" is not one input
                if connection.dialect.name == "postgresql":  # SQLite: BEGIN IMMEDIATE did this
                    connection.execute(
                        text("SELECT pg_advisory_xact_lock(hashtext(:origin))"),
                        {"origin": rejected.origin},
                    )
                found = connection.execute(
                    select(table.c.id)
                    .where(table.c.origin == rejected.origin, table.c.resolved_at.is_(None))
                    .order_by(table.c.id)
                    .limit(1)
                ).first()
            if found is not None:
                connection.execute(
                    update(table)
                    .where(table.c.id == found.id)
                    .values(attempts=table.c.attempts + 1, **values)
                )
                return int(found.id)
            inserted = connection.execute(
                insert(table).values(origin=rejected.origin, created_at=now, attempts=1, **values)
            )
            key = inserted.inserted_primary_key
            assert key is not None
            return int(key[0])

        failure_id = self._write(work, what=f"record the failure of {rejected.origin}")
        return self.failures(ids=[failure_id])[0]

    def resolve(self, failure_id: int, doc_id: str) -> None:
        """Mark one failure resolved by the stored document ``doc_id``."""
        table = schema.failures

        def work(connection: Connection) -> None:
            connection.execute(
                update(table)
                .where(table.c.id == failure_id, table.c.resolved_at.is_(None))
                .values(resolved_at=dt.datetime.now(dt.UTC), resolved_doc_id=doc_id)
            )

        self._write(work, what=f"resolve failure {failure_id}")

    def failures(
        self, *, open_only: bool = False, ids: Sequence[int] | None = None
    ) -> list[Failure]:
        """Stored failure records, oldest first: all, the open ones, or those with these ids."""
        table = schema.failures
        query = select(table).order_by(table.c.id)
        if open_only:
            query = query.where(table.c.resolved_at.is_(None))
        if ids is not None:
            query = query.where(table.c.id.in_(list(ids)))
        with self.engine.connect() as connection:
            return [Failure.from_row(dict(row._mapping)) for row in connection.execute(query)]

    def get(self, doc_id: str) -> DocumentRecord | None:
        """A stored record by id, or by a unique id prefix of at least 6 characters."""
        table = schema.documents
        with self.engine.connect() as connection:
            row = connection.execute(select(table.c.record).where(table.c.id == doc_id)).first()
            if row is None and len(doc_id) >= 6:
                rows = connection.execute(
                    select(table.c.record)
                    .where(table.c.id.startswith(doc_id, autoescape=True))
                    .limit(2)
                ).all()
                row = rows[0] if len(rows) == 1 else None
        return DocumentRecord.model_validate(_json(row[0])) if row is not None else None

    def _event_ids(
        self,
        connection: Connection,
        *,
        since: dt.date | None,
        until: dt.date | None,
        country: str | None,
        event_type: str | None,
    ) -> list[tuple[str, str]]:
        table = schema.events
        where = EventFilter(since=since, until=until, country=country, event_type=event_type)
        query = select(table.c.doc_id, table.c.id).where(*event_conditions(where))
        query = query.order_by(table.c.doc_id, table.c.sentence_start, table.c.id)
        return [(r.doc_id, r.id) for r in connection.execute(query)]

    def records(
        self,
        *,
        since: dt.date | None = None,
        until: dt.date | None = None,
        country: str | None = None,
        event_type: str | None = None,
    ) -> Iterator[DocumentRecord]:
        """Stored records whose events match the filters, each with only its matching events."""
        filtered = any(v is not None for v in (since, until, country, event_type))
        with self.engine.connect() as connection:
            pairs = self._event_ids(
                connection, since=since, until=until, country=country, event_type=event_type
            )
            wanted: dict[str, set[str]] = {}
            for doc_id, event_id in pairs:
                wanted.setdefault(doc_id, set()).add(event_id)
            query = select(schema.documents.c.id, schema.documents.c.record).order_by(
                schema.documents.c.id
            )
            for row in connection.execute(query):
                if filtered and row.id not in wanted:
                    continue
                record = DocumentRecord.model_validate(_json(row.record))
                if filtered:
                    keep = wanted[row.id]
                    record.events = [e for e in record.events if e.id in keep]
                yield record

    def events(
        self,
        *,
        since: dt.date | None = None,
        until: dt.date | None = None,
        country: str | None = None,
        event_type: str | None = None,
    ) -> Iterator[tuple[Event, Document]]:
        """(event, document) pairs matching the filters, in document and text order."""
        for record in self.records(
            since=since, until=until, country=country, event_type=event_type
        ):
            for item in record.events:
                yield item, record.document

    def count(self) -> dict[str, int]:
        """Row counts per table."""
        with self.engine.connect() as connection:
            return {
                table.name: int(
                    connection.execute(select(func.count()).select_from(table)).scalar_one()
                )
                for table in (
                    schema.documents,
                    schema.events,
                    schema.places,
                    schema.checks,
                    schema.failures,
                )
            }


def _resolve(connection: Connection, origin: str | None, doc_id: str) -> None:
    """Mark open failures of a file origin resolved by a stored document."""
    if not origin or origin.startswith("<"):  # "<stdin>", "<text>": not one input
        return
    table = schema.failures
    connection.execute(
        update(table)
        .where(table.c.origin == origin, table.c.resolved_at.is_(None))
        .values(resolved_at=dt.datetime.now(dt.UTC), resolved_doc_id=doc_id)
    )


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _event_values(event_: Event, document: Document) -> dict[str, Any]:
    row = event_row(event_, document)
    values: dict[str, Any] = {
        column.name: row.get(column.name)
        for column in schema.events.columns
        if column.name != "record"
    }
    for name in ("date_start", "date_end"):
        values[name] = dt.date.fromisoformat(str(values[name])) if values[name] else None
    for name, value in list(values.items()):
        if isinstance(value, bool):
            values[name] = int(value)
        elif isinstance(value, int) and not _INT_MIN <= value <= _INT_MAX:
            # "1,000,000,000,000 killed" fits no INTEGER column; the record keeps the figure.
            log.warning(
                "%s=%d of event %s is out of the column's range; stored as NULL",
                name,
                value,
                event_.id,
            )
            values[name] = None
    values["record"] = event_.model_dump(mode="json")
    return values
