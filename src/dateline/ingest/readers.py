"""Text, HTML, JSONL, directory and stdin readers with the checks bad input needs."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from dateline.errors import (
    BinaryInputError,
    EmptyInputError,
    EncodingError,
    InputError,
    MalformedInputError,
    TooLargeError,
    UnsupportedInputError,
)
from dateline.models import RawDocument, Rejected
from dateline.settings import Settings
from dateline.timelimit import time_limit

log = logging.getLogger(__name__)

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ""})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
STDIN = "-"


def _check_size(size: int, origin: str, settings: Settings) -> None:
    if size > settings.max_bytes:
        raise TooLargeError(
            f"{size:,} bytes is over the {settings.max_bytes:,}-byte limit; split the file "
            "or raise DATELINE_MAX_BYTES",
            origin=origin,
        )


def _looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters in the first 8 KB mean this is not text."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return bool(head) and controls / len(head) > 0.05


def decode(data: bytes, origin: str, settings: Settings) -> str:
    """Decode bytes strictly, with errors that name the offending byte and the fix."""
    _check_size(len(data), origin, settings)
    if _looks_binary(data):
        raise BinaryInputError(
            "looks like a binary file (NUL or control bytes), not text; pass .txt, .html or .jsonl",
            origin=origin,
        )
    encoding = settings.encoding
    if encoding.lower().replace("-", "") == "utf8" and data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise EncodingError(
            f"not valid {encoding} at byte {exc.start} (0x{data[exc.start]:02x}); re-encode the "
            "file to UTF-8 (e.g. iconv -f cp1252 -t utf-8) or set DATELINE_ENCODING",
            origin=origin,
        ) from exc
    except LookupError as exc:
        raise EncodingError(f"unknown encoding {encoding!r}", origin=origin) from exc
    return text


# Lone surrogates (from JSON escapes) cannot be encoded or stored; NUL is refused by
# PostgreSQL text columns and has no meaning in an article.
_UNSTORABLE = re.compile("[\ud800-\udfff]|\x00")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def clean_text(text: str, origin: str, settings: Settings) -> str:
    """Text every later stage can take: storable characters, ``\\n`` newlines, bounded length.

    Raises ``EmptyInputError`` or ``TooLargeError``; spans point into the returned text."""
    if _UNSTORABLE.search(text):
        text = _UNSTORABLE.sub(lambda m: "" if m.group() == "\x00" else "\ufffd", text)
    if not text.strip():
        raise EmptyInputError("document is empty or only whitespace", origin=origin)
    if len(text) > settings.max_chars:
        raise TooLargeError(
            f"{len(text):,} characters is over the {settings.max_chars:,}-character limit the "
            "parser can hold in memory; split the document or raise DATELINE_MAX_CHARS",
            origin=origin,
        )
    return text.replace("\r\n", "\n").replace("\r", "\n")


def prepare(raw: RawDocument, settings: Settings) -> RawDocument:
    """The same cleaning for documents built in code (``dateline.extract``) as for files."""
    text = clean_text(raw.text, raw.origin, settings)
    return raw if text == raw.text else raw.model_copy(update={"text": text})


def read_text(data: bytes, origin: str, settings: Settings) -> RawDocument:
    """A plain-text article; title and dates are found later from its first lines."""
    text = clean_text(decode(data, origin, settings), origin, settings)
    return RawDocument(text=text, origin=origin)


def _parse_date(value: object) -> dt.date | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def read_html(data: bytes, origin: str, settings: Settings) -> RawDocument:
    """An HTML page: main text, title and publication date through trafilatura."""
    import trafilatura  # imported here: lxml start-up is not needed for plain text
    from trafilatura.settings import Document as Extracted

    _check_size(len(data), origin, settings)
    if _looks_binary(data):
        raise BinaryInputError("looks like a binary file, not HTML", origin=origin)
    html = _decode_html(data)
    try:
        extracted = trafilatura.bare_extraction(
            html, with_metadata=True, include_comments=False, include_tables=True
        )
    except RecursionError:
        raise MalformedInputError(
            "HTML nested too deeply to parse; save the article's text instead", origin=origin
        ) from None
    except Exception as exc:  # lxml and trafilatura raise many types on broken pages
        raise MalformedInputError(
            f"HTML could not be parsed ({type(exc).__name__}: {exc})", origin=origin
        ) from exc
    if not isinstance(extracted, Extracted) or not (extracted.text or "").strip():
        raise EmptyInputError(
            "no main text found in the HTML page (empty, navigation only, or malformed)",
            origin=origin,
        )
    published_text = extracted.date if isinstance(extracted.date, str) else None
    return RawDocument(
        text=clean_text(extracted.text or "", origin, settings),
        origin=origin,
        title=extracted.title or None,
        url=extracted.url or None,
        source=extracted.sitename or None,
        published=_parse_date(published_text),
        published_text=published_text,
    )


def _decode_html(data: bytes) -> str:
    """UTF-8 when it is; else the charset the page declares; else Windows-1252 (never fails)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _CHARSET.search(data[:4096])
    if declared is not None:
        try:
            return data.decode(declared.group(1).decode("ascii"), errors="replace")
        except LookupError:
            log.debug("unknown declared charset %r", declared.group(1))
    return data.decode("cp1252", errors="replace")


def read_jsonl(data: bytes, origin: str, settings: Settings) -> Iterator[RawDocument | Rejected]:
    """One article per line: ``text`` required; ``title``, ``url``, ``published``, ``source``
    optional. A bad line fails alone."""
    # The size limit applies per article here, not to the whole file.
    text = decode(data, origin, settings.model_copy(update={"max_bytes": 1 << 62}))
    if not text.strip():
        raise EmptyInputError("JSONL file has no lines", origin=origin)
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{origin}:{lineno}"
        try:
            yield _jsonl_item(line, where, settings)
        except InputError as exc:
            yield rejected(exc, stage="ingest")


def _jsonl_item(line: str, where: str, settings: Settings) -> RawDocument:
    _check_size(len(line.encode("utf-8")), where, settings)
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        raise MalformedInputError(
            f"invalid JSON: {exc.msg} at column {exc.colno}", origin=where
        ) from None
    if not isinstance(item, dict) or not isinstance(item.get("text"), str):
        raise MalformedInputError('each line must be an object with a "text" string', origin=where)
    published = item.get("published")
    return RawDocument(
        text=clean_text(item["text"], where, settings),
        origin=where,
        title=item.get("title") if isinstance(item.get("title"), str) else None,
        url=item.get("url") if isinstance(item.get("url"), str) else None,
        source=item.get("source") if isinstance(item.get("source"), str) else None,
        published=_parse_date(published),
        published_text=published if isinstance(published, str) else None,
    )


def rejected(exc: InputError, *, stage: str) -> Rejected:
    """The value a failed document becomes: stored and counted, never silently dropped."""
    return Rejected(origin=exc.origin or "?", stage=stage, code=exc.code, reason=exc.message)


def read_bytes(
    data: bytes, origin: str, settings: Settings, *, kind: str = "text"
) -> Iterator[RawDocument | Rejected]:
    """Read in-memory input of a given kind (text, html or jsonl), within the time limit."""
    try:
        if kind == "jsonl":
            yield from read_jsonl(data, origin, settings)
        elif kind == "html":
            with time_limit(settings.time_limit, origin=origin):
                document = read_html(data, origin, settings)
            yield document
        else:
            yield read_text(data, origin, settings)
    except InputError as exc:
        yield rejected(exc, stage="ingest")


def _kind_for(path: Path, data: bytes) -> str:
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix not in TEXT_SUFFIXES and data.lstrip()[:15].lower().startswith(
        (b"<!doctype", b"<html")
    ):
        return "html"
    return "text"


def _walk(path: Path) -> Iterator[Path]:
    """A named file as it is; in a directory, the files that can hold articles, sorted.

    A directory walk skips other files (a store's own ``dateline.sqlite`` beside the
    articles, images, archives) rather than reporting each as a failed document.
    """
    if path.is_dir():
        for child in sorted(path.rglob("*")):
            if child.is_file() and not child.name.startswith(".") and _article_file(child):
                yield child
    else:
        yield path


def _article_file(path: Path) -> bool:
    suffix = path.suffix.lower()
    return _is_stream(path) or suffix in TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES


def iter_inputs(paths: Iterable[str], settings: Settings) -> Iterator[RawDocument | Rejected]:
    """Expand paths (files, directories recursively, ``-`` for stdin) into raw documents."""
    for name in paths:
        if name == STDIN:
            yield from read_bytes(sys.stdin.buffer.read(), "<stdin>", settings)
            continue
        root = Path(name)
        if not root.exists():
            yield rejected(
                UnsupportedInputError("no such file or directory", origin=name), stage="ingest"
            )
            continue
        for path in _walk(root):
            origin = str(path)
            if _is_stream(path):
                yield from _read_stream(path, settings)
                continue
            try:
                size = path.stat().st_size
                if path.suffix.lower() not in JSONL_SUFFIXES:
                    _check_size(size, origin, settings)
                data = path.read_bytes()
            except InputError as exc:
                yield rejected(exc, stage="ingest")
                continue
            except OSError as exc:
                yield rejected(
                    UnsupportedInputError(f"cannot read: {exc.strerror}", origin=origin),
                    stage="ingest",
                )
                continue
            yield from read_bytes(data, origin, settings, kind=_kind_for(path, data))


def _is_stream(path: Path) -> bool:
    """WARC and gzipped JSONL files are read as streams of many documents."""
    name = path.name.lower()
    return name.endswith((".warc", ".warc.gz", ".jsonl.gz", ".ndjson.gz"))


def _read_stream(path: Path, settings: Settings) -> Iterator[RawDocument | Rejected]:
    """Documents from a WARC or gzipped JSONL file; an unreadable file is one failure."""
    from dateline.ingest.warc import is_warc, read_warc

    if is_warc(path):
        yield from read_warc(path, settings)
        return
    import gzip

    try:
        data = gzip.decompress(path.read_bytes())
    except (OSError, EOFError) as exc:
        yield rejected(
            MalformedInputError(f"not a readable gzip file: {exc}", origin=str(path)),
            stage="ingest",
        )
        return
    yield from read_bytes(data, str(path), settings, kind="jsonl")
