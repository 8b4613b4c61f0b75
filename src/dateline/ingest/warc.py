"""WARC files (Common Crawl News is WARC): each HTML or text response becomes a document.

Records are streamed with ``warcio`` so a multi-gigabyte file is never read whole; a bad
record fails alone, and a truncated file ends the file with one failure, not the batch.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from dateline.errors import InputError, MalformedInputError
from dateline.ingest.readers import read_html, read_text, rejected
from dateline.models import RawDocument, Rejected
from dateline.settings import Settings

log = logging.getLogger(__name__)

WARC_SUFFIXES = (".warc", ".warc.gz")
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_TEXT_TYPES = ("text/plain",)


def is_warc(path: Path) -> bool:
    """True for ``.warc`` and ``.warc.gz`` files."""
    return path.name.lower().endswith(WARC_SUFFIXES)


def _content_type(record: Any) -> str:
    headers = record.http_headers if record.rec_type == "response" else None
    value = headers.get_header("Content-Type") if headers is not None else None
    if value is None:
        value = record.rec_headers.get_header("Content-Type") or ""
    return str(value).split(";", 1)[0].strip().lower()


def _document(record: Any, origin: str, settings: Settings) -> RawDocument | None:
    """The document in one WARC record, or None for records that hold no article."""
    if record.rec_type not in ("response", "resource", "conversion"):
        return None
    if record.rec_type == "response" and record.http_headers is not None:
        status = record.http_headers.get_statuscode()
        if status and not str(status).startswith("2"):
            return None
    kind = _content_type(record)
    url = record.rec_headers.get_header("WARC-Target-URI")
    if kind not in _HTML_TYPES and kind not in _TEXT_TYPES:
        return None
    payload = record.content_stream().read()
    missing = getattr(record.raw_stream, "limit", 0)
    if missing:
        # warcio hands out what is there; a cut-off file would give half an article.
        raise MalformedInputError(
            f"WARC record truncated ({missing:,} bytes missing); the file is incomplete",
            origin=origin,
        )
    read = read_html if kind in _HTML_TYPES else read_text
    raw = read(payload, origin, settings)
    update: dict[str, object] = {"url": raw.url or url}
    captured = _capture_date(record)
    if raw.published is None and captured is not None:
        # A news crawl fetches pages within hours of publication: the capture date is the
        # reference for relative dates when the page states none (GDELT does the same).
        update["published"] = captured
    return raw.model_copy(update=update)


def _capture_date(record: Any) -> dt.date | None:
    value = record.rec_headers.get_header("WARC-Date") or ""
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def read_warc_stream(
    stream: IO[bytes], name: str, settings: Settings
) -> Iterator[RawDocument | Rejected]:
    """Documents from an open WARC stream (gzipped or not); ``name`` prefixes each origin."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    records = ArchiveIterator(stream)
    index = 0
    try:
        for record in records:
            index += 1
            record_id = record.rec_headers.get_header("WARC-Record-ID") or f"record-{index}"
            origin = f"{name}#{record_id.strip('<>')}"
            try:
                document = _document(record, origin, settings)
            except InputError as exc:
                yield rejected(exc, stage="ingest")
                continue
            if document is not None:
                yield document
    except (ArchiveLoadFailed, OSError, EOFError, ValueError) as exc:
        yield rejected(
            MalformedInputError(
                f"WARC file unreadable after record {index}: {exc}; the records before it "
                "were read",
                origin=name,
            ),
            stage="ingest",
        )


def read_warc(path: Path, settings: Settings) -> Iterator[RawDocument | Rejected]:
    """Documents from a ``.warc`` or ``.warc.gz`` file on disk."""
    try:
        stream = path.open("rb")
    except OSError as exc:
        yield rejected(MalformedInputError(f"cannot read: {exc}", origin=str(path)), stage="ingest")
        return
    with stream:
        yield from read_warc_stream(stream, str(path), settings)
