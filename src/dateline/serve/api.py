"""The JSON API: filtered, paginated reads of the store, downloads, and ``POST /documents``."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, HTTPException, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy import select

from dateline import __version__
from dateline.export import writers
from dateline.models import DocumentRecord, Event, EventType, Rejected, Status
from dateline.serve import schemas
from dateline.serve.writer import DocumentWriter, check_token
from dateline.store import Store, queries
from dateline.store import schema as tables

ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"
_TEXT = {"max_length": 200}


@dataclasses.dataclass(frozen=True, kw_only=True)
class Context:
    """What the routes share: the store, the writer and the limits."""

    store: Store
    writer: DocumentWriter
    max_page_size: int
    tiles_url: str | None
    max_request_bytes: int


def event_filter(
    since: Annotated[
        dt.date | None, Query(description="events whose dates reach this day (YYYY-MM-DD) or later")
    ] = None,
    until: Annotated[
        dt.date | None, Query(description="events whose dates start on or before this day")
    ] = None,
    country: Annotated[
        str | None,
        Query(pattern=r"^[A-Za-z]{3}$", description="ISO 3166-1 alpha-3 of the event location"),
    ] = None,
    event_type: Annotated[EventType | None, Query(description="PLOVER event type")] = None,
    actor: Annotated[
        str | None, Query(description="part of an actor's name or text (either side)", **_TEXT)
    ] = None,
    status: Annotated[Status | None, Query(description="factuality of the event")] = None,
    q: Annotated[
        str | None, Query(description="text in the sentence, the place or the title", **_TEXT)
    ] = None,
    doc_id: Annotated[str | None, Query(pattern=ID_PATTERN, description="one document")] = None,
) -> queries.EventFilter:
    """The event filters shared by the list, the downloads, the timeline and the facets."""
    if since is not None and until is not None and since > until:
        raise HTTPException(422, detail=f"since ({since}) is after until ({until})")
    return queries.EventFilter(
        since=since,
        until=until,
        country=country.upper() if country else None,
        event_type=event_type,
        actor=actor or None,
        status=status,
        q=q or None,
        doc_id=doc_id,
    )


Filters = Annotated[queries.EventFilter, Depends(event_filter)]
Limit = Annotated[int, Query(ge=1, description="page size (at most the configured maximum)")]
Offset = Annotated[int, Query(ge=0, le=1_000_000_000, description="items to skip")]


def page_size(request: Request, limit: Limit = 50) -> int:
    """The ``limit`` parameter, at most the configured page size."""
    largest: int = request.app.state.max_page_size
    if limit > largest:
        raise HTTPException(422, detail=f"limit {limit} is over the maximum page size {largest}")
    return limit


PageSize = Annotated[int, Depends(page_size)]
PROBLEMS: dict[int | str, dict[str, Any]] = {
    404: {"model": schemas.Problem, "description": "not found"},
    422: {"description": "a parameter is not valid"},
}


def _document_ref(record: Any) -> schemas.DocumentRef:
    return schemas.DocumentRef(
        id=record.id, title=record.title, url=record.url, reference_date=record.reference_date
    )


def _event_item(event: Event, document: Any) -> schemas.EventItem:
    return schemas.EventItem(**event.model_dump(), document=_document_ref(document))


def build_router(context: Context) -> APIRouter:
    """All API routes, bound to one store."""
    router = APIRouter()
    engine = context.store.engine

    @router.get("/events", response_model=schemas.EventPage, tags=["events"], responses=PROBLEMS)
    def list_events(where: Filters, limit: PageSize, offset: Offset = 0) -> schemas.EventPage:
        """Events matching the filters, in date and text order, one page at a time."""
        page = queries.list_events(engine, where, limit=limit, offset=offset)
        return schemas.EventPage(
            total=page.total,
            limit=page.limit,
            offset=page.offset,
            items=[_event_item(event, document) for event, document in page.items],
        )

    @router.get(
        "/events.geojson",
        tags=["events", "downloads"],
        response_class=Response,
        responses={200: {"content": {"application/geo+json": {}}}, 422: PROBLEMS[422]},
    )
    def events_geojson(where: Filters) -> Response:
        """Every event matching the filters as a GeoJSON FeatureCollection (located events)."""
        out = io.StringIO()
        writers.write_geojson(queries.iter_events(engine, where), out)
        return _download(out.getvalue(), "application/geo+json", "dateline-events.geojson")

    @router.get(
        "/events.csv",
        tags=["events", "downloads"],
        response_class=Response,
        responses={200: {"content": {"text/csv": {}}}, 422: PROBLEMS[422]},
    )
    def events_csv(where: Filters) -> Response:
        """Every event matching the filters, one CSV row each (the columns of ``export``)."""
        out = io.StringIO()
        writers.write_csv(queries.iter_events(engine, where), out)
        return _download(out.getvalue(), "text/csv; charset=utf-8", "dateline-events.csv")

    @router.get(
        "/events/{event_id}",
        response_model=schemas.EventItem,
        tags=["events"],
        responses=PROBLEMS,
    )
    def get_event(
        event_id: Annotated[str, _path_id("event id")],
    ) -> schemas.EventItem:
        """One event with its document reference."""
        with engine.connect() as connection:
            row = connection.execute(
                select(tables.events.c.record, tables.events.c.doc_id).where(
                    tables.events.c.id == event_id
                )
            ).first()
        if row is None:
            raise HTTPException(404, detail=f"no event {event_id!r}")
        record = context.store.get(row.doc_id)
        if record is None:  # pragma: no cover - the foreign key makes this impossible
            raise HTTPException(404, detail=f"no document for event {event_id!r}")
        event = Event.model_validate(_json(row.record))
        return _event_item(event, record.document)

    @router.get("/timeline", response_model=schemas.Timeline, tags=["events"], responses=PROBLEMS)
    def get_timeline(where: Filters) -> schemas.Timeline:
        """Events per start day and type for the filters, ignoring the date range (the
        histogram shows the selection within everything)."""
        rows = queries.timeline(engine, where.without_dates())
        return schemas.Timeline(
            buckets=[
                schemas.TimelineBucket(date=day, event_type=kind, count=n) for day, kind, n in rows
            ]
        )

    @router.get("/facets", response_model=schemas.Facets, tags=["events"], responses=PROBLEMS)
    def get_facets(where: Filters) -> schemas.Facets:
        """Counts by event type, country and status for the filters, and the store's dates."""
        found = queries.facets(engine, where)
        low, high = queries.date_bounds(engine)

        def values(name: str) -> list[schemas.FacetValue]:
            return [schemas.FacetValue(value=v, count=n) for v, n in found[name]]

        return schemas.Facets(
            event_type=values("event_type"),
            country=values("country"),
            status=values("status"),
            date_min=low,
            date_max=high,
        )

    @router.get(
        "/documents", response_model=schemas.DocumentPage, tags=["documents"], responses=PROBLEMS
    )
    def list_documents(
        limit: PageSize,
        offset: Offset = 0,
        q: Annotated[str | None, Query(description="text in the title or body", **_TEXT)] = None,
    ) -> schemas.DocumentPage:
        """Stored documents, newest first, without their text."""
        page = queries.list_documents(engine, q=q or None, limit=limit, offset=offset)
        return schemas.DocumentPage(
            total=page.total,
            limit=page.limit,
            offset=page.offset,
            items=page.items,
        )

    @router.get(
        "/documents/{doc_id}",
        response_model=DocumentRecord,
        tags=["documents"],
        responses=PROBLEMS,
    )
    def get_document(
        doc_id: Annotated[str, _path_id("document id, or a unique prefix of 6+ characters")],
    ) -> DocumentRecord:
        """The full record of one document: text, events, places and checks, with spans."""
        record = context.store.get(doc_id)
        if record is None:
            raise HTTPException(404, detail=f"no document {doc_id!r}")
        return record

    @router.post(
        "/documents",
        response_model=schemas.IngestResult,
        status_code=201,
        tags=["documents"],
        responses={
            200: {"model": schemas.IngestResult, "description": "already stored"},
            401: {"model": schemas.Problem, "description": "no token"},
            403: {"model": schemas.Problem, "description": "wrong token, or writes disabled"},
            413: {"model": schemas.Problem, "description": "request body too large"},
            422: {"model": schemas.Problem, "description": "the article cannot be read"},
        },
    )
    def post_document(
        body: schemas.NewDocument,
        authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
        x_dateline_token: Annotated[str | None, Header(include_in_schema=False)] = None,
    ) -> Response:
        """Analyse an article (text or HTML), store it, and return its records.

        Needs the API token as ``Authorization: Bearer <token>`` (or ``X-Dateline-Token``).
        An article that cannot be read is stored as a failure and answered with 422 and
        dateline's error code."""
        check_token(context.writer.token, authorization, x_dateline_token)
        if (body.text is None) == (body.html is None):
            raise HTTPException(422, detail='send exactly one of "text" or "html"')
        result = context.writer.add(body)
        if isinstance(result, Rejected):
            return JSONResponse(
                status_code=422,
                content={"detail": result.reason, "code": result.code, "stage": result.stage},
            )
        record, created = result
        data = schemas.IngestResult(created=created, record=record)
        return Response(
            content=data.model_dump_json(),
            status_code=201 if created else 200,
            media_type="application/json",
        )

    @router.get("/places", response_model=schemas.PlacePage, tags=["places"], responses=PROBLEMS)
    def list_places(
        limit: PageSize,
        offset: Offset = 0,
        country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{3}$")] = None,
        q: Annotated[str | None, Query(description="text in the name or mention", **_TEXT)] = None,
        doc_id: Annotated[str | None, Query(pattern=ID_PATTERN)] = None,
    ) -> schemas.PlacePage:
        """Resolved place mentions with coordinates, in document and text order."""
        page = queries.list_places(
            engine,
            country=country.upper() if country else None,
            q=q or None,
            doc_id=doc_id,
            limit=limit,
            offset=offset,
        )
        return schemas.PlacePage(
            total=page.total,
            limit=page.limit,
            offset=page.offset,
            items=[
                schemas.PlaceItem(**item.place.model_dump(), doc_id=item.doc_id)
                for item in page.items
            ],
        )

    @router.get("/checks", response_model=schemas.CheckPage, tags=["checks"], responses=PROBLEMS)
    def list_checks(
        limit: PageSize,
        offset: Offset = 0,
        kind: Annotated[str | None, Query(pattern=r"^[a-z_]{1,64}$")] = None,
        doc_id: Annotated[str | None, Query(pattern=ID_PATTERN)] = None,
    ) -> schemas.CheckPage:
        """Findings a reader must see (date mismatches, contradicted directions), with spans."""
        page = queries.list_checks(engine, kind=kind, doc_id=doc_id, limit=limit, offset=offset)
        return schemas.CheckPage(
            total=page.total,
            limit=page.limit,
            offset=page.offset,
            items=[
                schemas.CheckItem(**item.check.model_dump(), doc_id=item.doc_id)
                for item in page.items
            ],
        )

    @router.get(
        "/failures", response_model=schemas.FailurePage, tags=["documents"], responses=PROBLEMS
    )
    def list_failures(
        limit: PageSize,
        offset: Offset = 0,
        open_only: Annotated[
            bool, Query(description="only failures no retry has resolved yet")
        ] = False,
    ) -> schemas.FailurePage:
        """Documents that could not be read or analysed, newest first, with their reasons and
        attempts; ``dateline retry`` runs the open ones again."""
        page = queries.list_failures(engine, open_only=open_only, limit=limit, offset=offset)
        return schemas.FailurePage(
            total=page.total, limit=page.limit, offset=page.offset, items=page.items
        )

    @router.get("/clusters", response_model=schemas.RowPage, tags=["clusters"], responses=PROBLEMS)
    def list_clusters(
        filters: Filters,
        limit: PageSize,
        offset: Offset = 0,
        min_sources: Annotated[
            int, Query(ge=1, le=100_000, description="at least this many independent sources")
        ] = 1,
    ) -> schemas.RowPage:
        """Event clusters across articles, one ACLED-like row each (consensus type, place, date,
        fatalities low-high, independent sources, event ids, contradictions); dates, country
        and type filter them. 404 when the database has no clusters table."""
        from dateline.export.clusters import cluster_row
        from dateline.store.clusters import ClusterFilters, read_clusters

        if not queries.has_table(engine, "clusters"):
            raise HTTPException(404, detail="this database has no clusters table")
        wanted = ClusterFilters(
            since=filters.since,
            until=filters.until,
            country=filters.country,
            event_type=filters.event_type,
            min_sources=min_sources,
        )
        with engine.connect() as connection:
            found = read_clusters(connection, wanted)
        items = [cluster_row(c) for c in found[offset : offset + limit]]
        return schemas.RowPage(total=len(found), limit=limit, offset=offset, items=items)

    @router.get("/config", response_model=schemas.PageConfig, tags=["page"])
    def get_config() -> schemas.PageConfig:
        """Settings the page reads at start."""
        return schemas.PageConfig(
            version=__version__,
            tiles_url=context.tiles_url,
            writes_enabled=context.writer.token is not None,
            max_request_bytes=context.max_request_bytes,
            clusters=queries.has_table(engine, "clusters"),
        )

    return router


def _path_id(description: str) -> Any:
    return Path(pattern=ID_PATTERN, description=description)


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _download(body: str, media_type: str, filename: str) -> Response:
    return Response(
        content=body.encode("utf-8"),
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
