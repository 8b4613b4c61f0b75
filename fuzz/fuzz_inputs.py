"""Coverage-guided fuzzing (Atheris) of the text, HTML and JSONL entry points and the pipeline.

Any bytes must give documents whose spans hold, or a rejection with a known code; an uncaught
exception, an E501 (unexpected error) or a broken span is a crash libFuzzer reports. Run by
``make fuzz`` (time-boxed, part of ``make test``); new inputs go to the first corpus folder.
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

import atheris

with atheris.instrument_imports(include=["dateline"]):
    from dateline.ingest import read_bytes
    from dateline.models import DocumentRecord, RawDocument, Rejected
    from dateline.nlp import load_nlp
    from dateline.pipeline import Pipeline
    from dateline.settings import Settings

KINDS = ("text", "html", "jsonl")
KNOWN = {"E101", "E102", "E103", "E104", "E105", "E106", "E107", "E201"}
SETTINGS = Settings(
    reference_date=dt.date(2024, 3, 5), max_bytes=200_000, max_chars=100_000, time_limit=10
)
PIPELINE = Pipeline(
    SETTINGS,
    nlp=load_nlp(
        SETTINGS.spacy_model,
        place_names=["Bree", "Gondor", "Khan Younis", "Gaza"],
        organisation_names=["Hamas", "Orc Legion"],
    ),
)


def _spans_hold(value: Any, text: str) -> None:
    if isinstance(value, dict):
        span, surface = value.get("span"), value.get("text")
        # An empty span marks a value not taken from the text (e.g. a metadata date).
        from_text = isinstance(span, dict) and span["end"] > span["start"]
        if from_text and isinstance(span, dict) and text[span["start"] : span["end"]] != surface:
            raise AssertionError(f"span {span} does not hold {surface!r}")
        for child in value.values():
            _spans_hold(child, text)
    elif isinstance(value, list):
        for child in value:
            _spans_hold(child, text)


def _check(result: DocumentRecord | RawDocument | Rejected) -> None:
    if isinstance(result, Rejected):
        if result.code not in KNOWN or not result.reason:
            raise AssertionError(f"unexpected rejection {result}")
    elif isinstance(result, DocumentRecord):
        _spans_hold(result.model_dump(mode="json"), result.document.text)


def one_input(data: bytes) -> None:
    """The first byte chooses the reader; the rest is the document."""
    if not data:
        return
    kind = KINDS[data[0] % len(KINDS)]
    results = list(read_bytes(data[1:], f"fuzz.{kind}", SETTINGS, kind=kind))
    for result in results:
        _check(result)
    raws = [r for r in results if isinstance(r, RawDocument)]
    for record in PIPELINE.pipe(raws):
        _check(record)


def main() -> None:
    """libFuzzer arguments pass through (e.g. -max_total_time=60 corpus/)."""
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
