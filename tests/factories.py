"""Hand-built records for tests that must not run the NLP pipeline."""

from __future__ import annotations

import datetime as dt
import hashlib

from dateline.models import (
    Actor,
    Check,
    Count,
    Document,
    DocumentRecord,
    Event,
    Location,
    Place,
    Provenance,
    Span,
    Spanned,
    When,
)

TEXT = "Bree, 5 March 2024\n\nOrc raiders shelled Bree on Monday, killing 4 civilians, medics said."


def _spanned(text: str, needle: str) -> tuple[str, Span]:
    start = text.index(needle)
    return needle, Span(start=start, end=start + len(needle))


def make_record(
    text: str = TEXT,
    *,
    event_type: str = "ASSAULT",
    country: str = "ARN",
    day: dt.date = dt.date(2024, 3, 4),
    lat: float | None = 10.5,
) -> DocumentRecord:
    """A one-event record whose spans point into ``text``."""
    digest = hashlib.sha256(text.encode()).hexdigest()
    doc_id = digest[:16]
    sentence_start = text.index("Orc")
    trigger_text, trigger_span = _spanned(text, "shelled")
    place_text, place_span = _spanned(text[sentence_start:], "Bree")
    place_span = Span(start=place_span.start + sentence_start, end=place_span.end + sentence_start)
    location = Location(
        text=place_text,
        span=place_span,
        name="Bree",
        lat=lat,
        lon=20.25 if lat is not None else None,
        country=country,
        admin1="01",
        geonameid=42,
        geo_precision="town",
    )
    event = Event(
        id=hashlib.sha256(f"{doc_id}:{event_type}".encode()).hexdigest()[:16],
        doc_id=doc_id,
        event_type=event_type,  # type: ignore[arg-type]
        mode="heavy-weapons",
        acled_event_type="Explosions/Remote violence",
        acled_sub_event_type="Shelling/artillery/missile attack",
        actor1=Actor(
            text="Orc raiders",
            span=_spanned(text, "Orc raiders")[1],
            name="Orc raiders",
            kind="armed_group",
        ),
        actor2=Actor(
            text="4 civilians",
            span=_spanned(text, "4 civilians")[1],
            name="Civilians",
            kind="civilians",
        ),
        location=location,
        date=When(
            text="on Monday",
            span=_spanned(text, "on Monday")[1],
            start=day,
            end=day,
            precision="day",
        ),
        fatalities=Count(
            text="4 civilians",
            span=_spanned(text, "4 civilians")[1],
            low=4,
            best=4,
            high=4,
            victims=["civilians"],
        ),
        provenance=Provenance(
            sentence=text[sentence_start:],
            start=sentence_start,
            end=len(text),
            trigger=Spanned(text=trigger_text, span=trigger_span),
            mentions=[Spanned(text=trigger_text, span=trigger_span)],
        ),
        confidence=0.8,
    )
    document = Document(
        id=doc_id,
        content_hash=digest,
        title="Shelling in Bree",
        text=text,
        origin="test",
        reference_date=dt.date(2024, 3, 5),
        reference_date_reason="test",
    )
    return DocumentRecord(
        document=document,
        events=[event],
        places=[Place(**location.model_dump())],
        checks=[
            Check(
                kind="note",
                message="a test check",
                spans=[Spanned(text="Bree", span=Span(start=0, end=4))],
            )
        ],
    )
