"""The one record model: what a run produces for each document.

Every extracted value that comes from the text is a ``Spanned`` value: it carries the
surface ``text`` and its ``span`` (``start``/``end`` character offsets into ``Document.text``).
The JSON Schema (``schema/record.schema.json``), the CSV/GeoJSON writers and the
database tables are all derived from these classes.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

SCHEMA_VERSION = "1.0"

EventType = Literal[
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
]
Status = Literal["occurred", "ongoing", "threatened", "expected", "denied", "historical"]
GeoPrecision = Literal["point", "town", "admin1", "country"]
DatePrecision = Literal["day", "week", "month", "year", "reported"]
ActorKind = Literal[
    "military",
    "government",
    "armed_group",
    "civilians",
    "international_organization",
    "person",
    "media",
    "ngo",
    "health",
    "country",
    "other",
]
DateRole = Literal["first_line", "dateline", "metadata", "updated", "override", "body"]


class Record(BaseModel):
    """Base for all record types: strict about unknown fields, deterministic field order."""

    model_config = ConfigDict(extra="forbid", frozen=False)


class Span(Record):
    """A character range ``[start, end)`` in ``Document.text``."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> Span:
        if self.end < self.start:
            raise ValueError(f"span end {self.end} is before start {self.start}")
        return self


class Spanned(Record):
    """A value extracted from the text: its surface form and where it came from."""

    text: str
    span: Span


class Actor(Spanned):
    """Who acts (actor1) or is acted on (actor2), normalised through the actor dictionary."""

    name: str
    country: str | None = Field(default=None, description="ISO 3166-1 alpha-3")
    kind: ActorKind = "other"
    person: str | None = Field(
        default=None, description="the named person acting for the actor: 'Benny Gantz'"
    )
    office: str | None = Field(default=None, description="that person's office: 'Defense Minister'")


ActorRole = Literal["actor1", "actor2", "mediator"]


class AssociatedActor(Actor):
    """A further actor of an event: on actor1's or actor2's side (ACLED's assoc_actor_1 and
    assoc_actor_2: "Hamas and Islamic Jihad"), or a mediator between them."""

    role: ActorRole


class Location(Spanned):
    """A place mention resolved against the gazetteer."""

    name: str | None = None
    lat: float | None = None
    lon: float | None = None
    country: str | None = Field(default=None, description="ISO 3166-1 alpha-3")
    admin1: str | None = None
    geonameid: int | None = None
    geo_precision: GeoPrecision | None = None


class When(Spanned):
    """An event date: an interval with a precision (UCDP's date_prec in words)."""

    start: dt.date
    end: dt.date
    precision: DatePrecision = "reported"


class Count(Spanned):
    """A casualty figure, UCDP-style: low/best/high estimates and who the victims were."""

    low: int | None = Field(default=None, ge=0)
    best: int | None = Field(default=None, ge=0)
    high: int | None = Field(default=None, ge=0)
    victims: list[str] = Field(default_factory=list)
    cumulative: bool = False


class Source(Record):
    """Who makes the claim: the reporter unless the text attributes it to someone."""

    name: str = "reporter"
    kind: ActorKind | Literal["reporter"] = "reporter"
    text: str | None = None
    span: Span | None = None


class Impact(Spanned):
    """Damage or disruption: what was hit and how many, when a number is given."""

    kind: str
    count: int | None = Field(default=None, ge=0)
    effect: str | None = Field(
        default=None, description="what happened to it: destroyed, displaced, out of service, ..."
    )
    source: Source | None = Field(
        default=None,
        description="who reports this impact, when not the event's source ('administrators said')",
    )


class Quote(Spanned):
    """A direct quotation and who said it."""

    speaker: str | None = None


class Provenance(Record):
    """The sentence an event was found in, and every mention merged into the event."""

    sentence: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    trigger: Spanned
    mentions: list[Spanned] = Field(default_factory=list)


class Event(Record):
    """One real-world event, with every field traceable to a span of the document."""

    id: str
    doc_id: str
    event_type: EventType
    mode: str | None = None
    acled_event_type: str | None = None
    acled_sub_event_type: str | None = None
    actor1: Actor | None = None
    actor2: Actor | None = None
    associated_actors: list[AssociatedActor] = Field(default_factory=list)
    location: Location | None = None
    date: When
    fatalities: Count | None = None
    injuries: Count | None = None
    impacts: list[Impact] = Field(default_factory=list)
    status: Status = "occurred"
    source: Source = Field(default_factory=Source)
    quotes: list[Quote] = Field(default_factory=list)
    provenance: Provenance
    confidence: float = Field(ge=0.0, le=1.0)


class DateFound(Spanned):
    """A date written in or attached to the document (first line, dateline, metadata)."""

    value: dt.date
    role: DateRole


class Document(Record):
    """The article: its text, where it came from and the date relative dates resolve against."""

    id: str
    content_hash: str
    title: str | None = None
    text: str
    url: str | None = None
    source: str | None = None
    origin: str | None = Field(default=None, description="file path or input name")
    language: str = "en"
    published: dt.date | None = None
    dates_found: list[DateFound] = Field(default_factory=list)
    reference_date: dt.date
    reference_date_reason: str


class Place(Location):
    """A resolved place mention anywhere in the document."""


class Check(Record):
    """A finding a reader must see: a mismatch or contradiction, with the spans involved."""

    kind: str
    message: str
    spans: list[Spanned] = Field(default_factory=list)


class DocumentRecord(Record):
    """Everything one run produces for one document."""

    schema_version: str = SCHEMA_VERSION
    document: Document
    events: list[Event] = Field(default_factory=list)
    places: list[Place] = Field(default_factory=list)
    checks: list[Check] = Field(default_factory=list)


class Rejected(Record):
    """A document a stage turned away, with the reason; stored and counted, never dropped."""

    origin: str
    stage: str
    code: str
    reason: str
    doc_id: str | None = None


class RawDocument(Record):
    """What ingest hands to the pipeline: text and whatever metadata the input carried."""

    text: str
    origin: str
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published: dt.date | None = None
    published_text: str | None = None


def record_json_schema() -> str:
    """The JSON Schema of ``DocumentRecord``, as committed in ``schema/record.schema.json``."""
    schema = DocumentRecord.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://dateline.invalid/schema/record-{SCHEMA_VERSION}.json"
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"
