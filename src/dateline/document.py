"""The document stage: title, the dates written in or attached to it, and the reference date.

Relative dates ("Tuesday", "last week") resolve against the reference date, so choosing it
is stated with a reason, and a disagreement between dates is a check for the reader.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Sequence

from dateline.errors import DateError
from dateline.models import Check, DateFound, Document, RawDocument, Span, Spanned

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
# "July 25, 2024" / "Jan. 24 2024" / "24 January 2024" / "2024-01-24", optionally a weekday first.
_MONTH2 = _MONTH.replace("month", "month2")
DATE_PATTERN = re.compile(
    rf"{_WEEKDAY}(?:{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})"
    rf"|(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH2}\s+(?P<year2>\d{{4}})"
    r"|(?P<iso>\d{4}-\d{2}-\d{2}))",
    re.I,
)
# A wire dateline: "KHAN YOUNIS, Gaza Strip, Jan 24 (Reuters) -" (the year may be missing).
_WIRE = re.compile(
    rf"^[A-Z][A-Z .'’-]+,(?:[^,\n]{{1,40}},)?\s*{_MONTH}\s+(?P<day>\d{{1,2}})"
    r"(?:,?\s+(?P<year>\d{4}))?"
    r"\s*(?:\([^)]{1,40}\))?\s*[-–—]",
    re.I,
)
_UPDATED = re.compile(r"^\s*(?:last updated|updated|modified)\b(?:\s+on)?[:\s]*", re.I)
_PUBLISHED = re.compile(r"^\s*(?:published|posted|first published|issued)\b(?:\s+on)?[:\s]*", re.I)
# Times and zones beside a date line: "10:32 GMT", "at 3:45 p.m. EST", "T10:32:00Z", "| 08:00".
_TIME = re.compile(
    r"(?:\bat\s+)?(?:T|\b)\d{1,2}[:.]\d{2}(?::\d{2})?(?:\.\d+)?\s*(?:[ap]\.?m\.?)?"
    r"(?:\s*(?:Z\b|[+-]\d{2}:?\d{2}|\(?[A-Z]{2,5}\)?(?![a-z])))?",
)
# Numeric dates: 2024/01/24, 24/01/2024 or 01/24/2024 (kept only when day and month are clear).
_NUMERIC = re.compile(
    r"\b(?:(\d{4})[/.](\d{1,2})[/.](\d{1,2})|(\d{1,2})[/.](\d{1,2})[/.](\d{4}))\b"
)
_DATE_LINE_MAX = 60
_TOP_LINES = 8


def parse_date_match(match: re.Match[str]) -> dt.date | None:
    """The calendar date a DATE_PATTERN match names, or None if it is not a real date."""
    try:
        if match.group("iso"):
            return dt.date.fromisoformat(match.group("iso"))
        if match.group("month"):
            month = _MONTHS[match.group("month").lower()[:3]]
            return dt.date(int(match.group("year")), month, int(match.group("day")))
        month = _MONTHS[match.group("month2").lower()[:3]]
        return dt.date(int(match.group("year2")), month, int(match.group("day2")))
    except ValueError:
        return None


def _lines(text: str) -> list[tuple[int, str]]:
    """(offset, line) for each non-empty line."""
    out: list[tuple[int, str]] = []
    offset = 0
    for line in text.split("\n"):
        if line.strip():
            out.append((offset, line))
        offset += len(line) + 1
    return out


def _date_only(segment: str) -> tuple[int, int, dt.date] | None:
    """(start, end, date) of a date that is (nearly) all the segment holds: a date line,
    not a date in a sentence. Times and time zones beside it do not count."""
    if len(segment.strip()) > _DATE_LINE_MAX:
        return None
    match = DATE_PATTERN.search(segment)
    numeric = _NUMERIC.search(segment) if match is None else None
    if match is not None:
        start, end, value = match.start(), match.end(), parse_date_match(match)
    elif numeric is not None:
        start, end, value = numeric.start(), numeric.end(), _numeric_date(numeric)
    else:
        return _parsed_line(segment)
    if value is None:
        return None
    rest = _TIME.sub("", segment[:start] + " " + segment[end:]).strip(" \t,.-–—|")
    return (start, end, value) if len(rest) <= 12 else None


def _parsed_line(segment: str) -> tuple[int, int, dt.date] | None:
    """A whole short line in a form the patterns miss ("25-Jan-2024 10:32"), through
    dateparser in strict mode: day, month and year must all be written."""
    stripped = segment.strip(" \t,.-–—|")
    if len(stripped) > 40 or not re.search(r"\b(?:19|20)\d{2}\b", stripped):
        return None
    import dateparser

    parsed = dateparser.parse(
        stripped,
        languages=["en"],
        settings={"STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"]},
    )
    if parsed is None:
        return None
    start = segment.index(stripped)
    return start, start + len(stripped), parsed.date()


def _numeric_date(match: re.Match[str]) -> dt.date | None:
    """2024/01/24 always; 24/01/2024 and 01/24/2024 only when one part cannot be a month."""
    try:
        if match.group(1):
            return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        first, second, year = int(match.group(4)), int(match.group(5)), int(match.group(6))
        if first > 12 >= second:
            return dt.date(year, second, first)
        if second > 12 >= first:
            return dt.date(year, first, second)
    except ValueError:
        return None
    return None  # 03/04/2024: day-first or month-first cannot be told apart


def find_document_dates(raw: RawDocument) -> list[DateFound]:
    """Dates at the top of the text (first line, dateline, 'Updated' lines) and in metadata."""
    found: list[DateFound] = []
    yearless: list[tuple[int, int, int, int]] = []  # wire datelines without a year
    lines = _lines(raw.text)
    for index, (offset, line) in enumerate(lines[:_TOP_LINES]):
        updated = _UPDATED.match(line)
        published = None if updated else _PUBLISHED.match(line)
        skip = updated.end() if updated else published.end() if published else 0
        dated = _date_only(line[skip:])
        if dated is not None:
            start, end, value = dated
            role = "updated" if updated else "first_line" if index == 0 else "dateline"
            found.append(_found(raw.text, offset + skip + start, offset + skip + end, value, role))
            continue
        wire = _WIRE.match(line)
        if wire is not None:
            start = offset + wire.start("month")
            month = _MONTHS[wire.group("month").lower()[:3]]
            if not wire.group("year") and raw.published is None:
                yearless.append((start, offset + wire.end("day"), month, int(wire.group("day"))))
                continue
            wire_value = _wire_date(wire, raw.published)
            last = "year" if wire.group("year") else "day"
            if wire_value is not None:
                end = offset + wire.end(last)
                found.append(_found(raw.text, start, end, wire_value, "dateline"))
    if raw.published is not None:
        text = raw.published_text or raw.published.isoformat()
        found.append(
            DateFound(text=text, span=Span(start=0, end=0), value=raw.published, role="metadata")
        )
    for start, end, month, day in yearless:
        # "GAZA, Jan 24 (Reuters) -": the year of the nearest other date found.
        guess = _year_from_others(month, day, [d.value for d in found])
        if guess is not None:
            found.append(_found(raw.text, start, end, guess, "dateline"))
    return sorted(found, key=lambda d: (d.role == "metadata", d.span.start))


def _year_from_others(month: int, day: int, others: Sequence[dt.date]) -> dt.date | None:
    candidates: list[dt.date] = []
    for other in others:
        for year in (other.year - 1, other.year, other.year + 1):
            try:
                candidates.append(dt.date(year, month, day))
            except ValueError:
                continue
    if not candidates:
        return None
    return min(candidates, key=lambda c: min(abs((c - o).days) for o in others))


def _wire_date(match: re.Match[str], published: dt.date | None) -> dt.date | None:
    month = _MONTHS[match.group("month").lower()[:3]]
    day = int(match.group("day"))
    year = (
        int(match.group("year")) if match.group("year") else (published.year if published else None)
    )
    if year is None:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _found(text: str, start: int, end: int, value: dt.date, role: str) -> DateFound:
    return DateFound(text=text[start:end], span=Span(start=start, end=end), value=value, role=role)


def find_title(raw: RawDocument, dates: Sequence[DateFound]) -> str | None:
    """The given title, else the first short line that is not a date and not a sentence."""
    if raw.title:
        return raw.title.strip()
    date_starts = {d.span.start for d in dates}
    for offset, line in _lines(raw.text)[:_TOP_LINES]:
        stripped = line.strip()
        line_start = offset + len(line) - len(line.lstrip())
        if any(line_start <= s < offset + len(line) for s in date_starts):
            continue
        if len(stripped) <= 200 and not stripped.endswith((".", "?", "!", ":", "”", '"')):
            return stripped
        return None
    return None


# Which date the body is written against, most trusted first: the dateline sits with the
# body; metadata is often the crawl or update time; a first line is often a re-publication.
_ROLE_ORDER = ("override", "dateline", "metadata", "first_line", "updated")


def choose_reference_date(
    dates: Sequence[DateFound], *, override: dt.date | None
) -> tuple[dt.date, str]:
    """The date relative expressions resolve against, and why it was chosen."""
    if override is not None:
        return override, "given with --date"
    for role in _ROLE_ORDER:
        for found in dates:
            if found.role == role:
                others = sorted({d.value.isoformat() for d in dates if d.value != found.value})
                label = role.replace("_", " ")
                why = f"the {label} date ({found.text!r})"
                if others:
                    why += f"; preferred over {', '.join(others)}: the {label} sits with the body"
                return found.value, why
    raise DateError(
        "no date found in the document or its metadata to resolve relative dates against; "
        "pass --date YYYY-MM-DD (or a 'published' field in JSONL)"
    )


def date_mismatches(dates: Sequence[DateFound]) -> list[Check]:
    """A check for each pair of found dates with different roles more than a day apart."""
    checks: list[Check] = []
    for i, first in enumerate(dates):
        for second in dates[i + 1 :]:
            if first.role == second.role or abs((first.value - second.value).days) <= 1:
                continue
            if _updated_later(first, second) or _updated_later(second, first):
                continue  # an update after publication is what an update is
            spans = [
                Spanned(text=d.text, span=d.span)
                for d in (first, second)
                if d.span.end > d.span.start
            ]
            checks.append(
                Check(
                    kind="date_mismatch",
                    message=(
                        f"the {first.role.replace('_', ' ')} date {first.value.isoformat()} and "
                        f"the {second.role.replace('_', ' ')} date {second.value.isoformat()} "
                        f"disagree by {abs((first.value - second.value).days)} days"
                    ),
                    spans=spans,
                )
            )
    return checks


def _updated_later(updated: DateFound, other: DateFound) -> bool:
    return updated.role == "updated" and updated.value >= other.value


def content_hash(text: str) -> str:
    """sha256 of the text after NFC normalisation and trailing-space stripping per line."""
    normal = "\n".join(
        line.rstrip() for line in unicodedata.normalize("NFC", text).strip().split("\n")
    )
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def build_document(
    raw: RawDocument, *, reference_override: dt.date | None = None
) -> tuple[Document, list[Check]]:
    """The Document for a raw input and the checks its dates raise; DateError if undatable."""
    dates = find_document_dates(raw)
    try:
        reference, reason = choose_reference_date(dates, override=reference_override)
    except DateError as exc:
        raise DateError(exc.message, origin=raw.origin) from None
    digest = content_hash(raw.text)
    document = Document(
        id=digest[:16],
        content_hash=digest,
        title=find_title(raw, dates),
        text=raw.text,
        url=raw.url,
        source=raw.source,
        origin=raw.origin,
        published=raw.published,
        dates_found=dates,
        reference_date=reference,
        reference_date_reason=reason,
    )
    return document, date_mismatches(dates)
