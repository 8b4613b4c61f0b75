"""Request and response bodies of the JSON API (they make the OpenAPI document)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from dateline.models import Check, DocumentRecord, Event, Place
from dateline.store.failures import Failure
from dateline.store.queries import DocumentSummary


class DocumentRef(BaseModel):
    """The document an event was found in."""

    id: str
    title: str | None
    url: str | None
    reference_date: dt.date


class EventItem(Event):
    """An event with a reference to its document."""

    document: DocumentRef


class EventPage(BaseModel):
    """One page of events and how many match the filters."""

    total: int
    limit: int
    offset: int
    items: list[EventItem]


class DocumentPage(BaseModel):
    """One page of documents."""

    total: int
    limit: int
    offset: int
    items: list[DocumentSummary]  # the store's own row type, served as it is


class PlaceItem(Place):
    """A place mention and its document id."""

    doc_id: str


class PlacePage(BaseModel):
    """One page of place mentions."""

    total: int
    limit: int
    offset: int
    items: list[PlaceItem]


class CheckItem(Check):
    """A check and its document id."""

    doc_id: str


class CheckPage(BaseModel):
    """One page of checks."""

    total: int
    limit: int
    offset: int
    items: list[CheckItem]


class FailurePage(BaseModel):
    """One page of documents that failed, with their reasons."""

    total: int
    limit: int
    offset: int
    items: list[Failure]


class RowPage(BaseModel):
    """One page of flat rows (clusters: one ACLED-like row each)."""

    total: int
    limit: int
    offset: int
    items: list[dict[str, Any]]


class TimelineBucket(BaseModel):
    """How many events of one type start on one day."""

    date: dt.date
    event_type: str
    count: int


class Timeline(BaseModel):
    """Events per day and type for the filters, over all dates."""

    buckets: list[TimelineBucket]


class FacetValue(BaseModel):
    """A value of a field and how many events have it."""

    value: str
    count: int


class Facets(BaseModel):
    """Counts for the filter menus, and the dates the store covers."""

    event_type: list[FacetValue]
    country: list[FacetValue]
    status: list[FacetValue]
    date_min: dt.date | None
    date_max: dt.date | None


class NewDocument(BaseModel):
    """An article to analyse and store: ``text`` or ``html`` (exactly one), and metadata."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(default=None, description="plain text of the article")
    html: str | None = Field(default=None, description="an HTML page; main text is extracted")
    title: str | None = Field(default=None, max_length=1000)
    url: str | None = Field(default=None, max_length=2000)
    source: str | None = Field(default=None, max_length=200)
    published: dt.date | None = Field(
        default=None, description="publication date; relative dates resolve against it"
    )


class IngestResult(BaseModel):
    """The records extracted from a posted article; ``created`` is false when already stored."""

    created: bool
    record: DocumentRecord


class Problem(BaseModel):
    """An error: what went wrong and, for input errors, dateline's stable error code."""

    detail: str
    code: str | None = None


class PageConfig(BaseModel):
    """What the page needs to know about the server."""

    version: str
    tiles_url: str | None
    writes_enabled: bool
    max_request_bytes: int
    clusters: bool
