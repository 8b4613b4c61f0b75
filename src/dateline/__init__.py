"""dateline: conflict and crisis reporting to geocoded, dated, sourced event records.

>>> from dateline import extract
>>> record = extract("...article text...", published="2024-01-24")
>>> record.events[0].event_type
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from dateline.errors import DatelineError
from dateline.models import (
    Actor,
    Check,
    Count,
    Document,
    DocumentRecord,
    Event,
    Location,
    Place,
    RawDocument,
    Rejected,
    Span,
    When,
)
from dateline.settings import Settings

if TYPE_CHECKING:
    from dateline.pipeline import Pipeline

__version__ = "0.1.0"

__all__ = [
    "Actor",
    "Check",
    "Count",
    "DatelineError",
    "Document",
    "DocumentRecord",
    "Event",
    "Location",
    "Pipeline",
    "Place",
    "RawDocument",
    "Rejected",
    "Settings",
    "Span",
    "When",
    "__version__",
    "extract",
]


def extract(
    text: str,
    *,
    published: dt.date | str | None = None,
    title: str | None = None,
    origin: str = "<text>",
) -> DocumentRecord:
    """Extract the event records of one article with the default pipeline."""
    if isinstance(published, str):
        published = dt.date.fromisoformat(published)
    from dateline.pipeline import default_pipeline

    raw = RawDocument(text=text, origin=origin, title=title, published=published)
    return default_pipeline().process(raw)


def __getattr__(name: str) -> Any:
    # The pipeline pulls in spaCy; import it only when someone asks for it.
    if name == "Pipeline":
        from dateline.pipeline import Pipeline

        return Pipeline
    raise AttributeError(f"module 'dateline' has no attribute {name!r}")
