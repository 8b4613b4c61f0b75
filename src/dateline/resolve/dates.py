"""Date expressions in sentences, resolved against the reference date into intervals.

Regular expressions we control find the expressions (deterministic and fast); each one
resolves to ``start``/``end`` with a precision, UCDP-style. Month names count only when
capitalised, so "they may attack" and "the march on the capital" are not dates.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from dateline.document import DATE_PATTERN, parse_date_match

Precision = Literal["day", "week", "month", "year"]

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTH_NAMES = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
_MONTH_NAMES["sept"] = 9
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50,
}  # fmt: skip
# Events more than this long before the reference date are history, not news.
HISTORICAL_DAYS = 60

_M = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_WD = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAY = r"(\d{1,2})"
_YEAR = r"(\d{4})"
_RELATIVE = (
    r"\b(yesterday|today|tonight|last night|this morning|this afternoon|this evening"
    r"|earlier this (?:week|month|year)|(?:last|this|next|past) (?:week|month|year)"
    r"|the (?:past|previous|last) (?:week|month|year)"
    r"|(?:a|one|two|three|four|five|six|\d+) (?:days|weeks|months|years?) ago"
    r"|a (?:day|week|month|year) ago)\b"
)
_YEAR_ALONE = r"\b((?:19|20)\d{2})(?:['’]s\b)?"
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("full", DATE_PATTERN),
    ("range", re.compile(
        rf"\b(?:between\s+)?{_DAY}\s*(?:-|–|to|and)\s*{_DAY}\s+({_M})(?:\s+{_YEAR})?")),
    ("range", re.compile(rf"\b({_M})\s+{_DAY}\s*(?:-|–|to)\s*{_DAY}(?:,?\s+{_YEAR})?")),
    ("month_day", re.compile(
        rf"\b({_M})\s+{_DAY}(?:st|nd|rd|th)?\b(?!\s*(?:-|–|,?\s*\d{{4}}))")),
    ("day_month", re.compile(rf"\b{_DAY}(?:st|nd|rd|th)?\s+(?:of\s+)?({_M})\b(?!\s+\d{{4}})")),
    ("month_year", re.compile(rf"\b({_M})\s+{_YEAR}\b")),
    ("month", re.compile(
        rf"\b(?:in|since|during|until|by|early|late|mid-?|last|this|next)\s+({_M})\b(?![\s-]*\d)")),
    ("weekday", re.compile(
        rf"\b(?:(?:early|late)\s+)?(?:(on|last|this|next|past|since)\s+)?({_WD})"
        r"(?:\s+(?:morning|afternoon|evening|night))?\b", re.I)),
    ("relative", re.compile(_RELATIVE, re.I)),
    ("duration", re.compile(
        r"\b(\d{1,3}|" + "|".join(_NUMBER_WORDS) + r")-year(?:-long|-old)?\b", re.I)),
    ("year", re.compile(_YEAR_ALONE)),
]  # fmt: skip


@dataclass(frozen=True)
class DateExpression:
    """A temporal expression found in a string: its text and offsets into that string."""

    text: str
    start: int
    end: int
    kind: str


@dataclass(frozen=True)
class ResolvedDate:
    """An interval with a precision; ``historical`` when it ends well before the reference."""

    start: dt.date
    end: dt.date
    precision: Precision
    historical: bool = False
    duration_years: int | None = None


def _year_is_date(text: str, match: re.Match[str]) -> bool:
    """'in 2021', "2021's": a year; 'killing 2021 people' or '2021 km': a number."""
    before = text[max(0, match.start() - 8) : match.start()].lower()
    after = text[match.end() : match.end() + 12].lower()
    if match.group(0).endswith(("'s", "’s")):
        return True
    if re.search(r"\b(in|since|during|of|until|by|from|to|and|early|late|mid-?)\s*$", before):
        return not re.match(r"\s*(people|civilians|soldiers|km|miles|troops|dead|killed)", after)
    return bool(re.match(r"\s*[,.;)]|\s*$", after))


def find_date_expressions(text: str) -> list[DateExpression]:
    """Temporal expressions in a sentence, longest first where they overlap, in text order."""
    found: list[DateExpression] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if start == end or any(s < end and start < e for s, e in taken):
                continue
            if kind == "year" and not _year_is_date(text, match):
                continue
            if kind == "weekday" and not match.group(2)[0].isupper():
                continue
            found.append(DateExpression(text=match.group(0), start=start, end=end, kind=kind))
            taken.append((start, end))
    return sorted(found, key=lambda e: e.start)


def _month_number(name: str) -> int:
    return _MONTH_NAMES[name.lower().rstrip(".")]


def _month_interval(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _latest_year(month: int, day: int, reference: dt.date) -> int:
    """The year that puts month/day on or before the reference date (news is about the past)."""
    return (
        reference.year if (month, day) <= (reference.month, reference.day) else reference.year - 1
    )


def _week_of(day: dt.date) -> tuple[dt.date, dt.date]:
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def _result(
    start: dt.date, end: dt.date, precision: Precision, reference: dt.date, **kw: int | None
) -> ResolvedDate:
    historical = (reference - end).days > HISTORICAL_DAYS
    return ResolvedDate(
        start, end, precision, historical=historical, duration_years=kw.get("duration_years")
    )


def resolve_date(expr_text: str, reference: dt.date) -> ResolvedDate | None:
    """Resolve one expression against the reference date; None when it cannot be (never raises)."""
    text = expr_text.strip()
    for kind, pattern in _PATTERNS:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        try:
            resolved = _resolve(kind, match, reference)
        except (ValueError, KeyError, OverflowError):
            return None
        if resolved is not None:
            return resolved
    return None


def _resolve(kind: str, m: re.Match[str], ref: dt.date) -> ResolvedDate | None:
    if kind == "full":
        day = parse_date_match(m)
        return _result(day, day, "day", ref) if day else None
    if kind == "range":
        groups = m.groups()
        if groups[0].isdigit():
            first, last, month_name, year_text = groups
        else:
            month_name, first, last, year_text = groups
        month = _month_number(month_name)
        year = int(year_text) if year_text else _latest_year(month, int(first), ref)
        return _result(
            dt.date(year, month, int(first)), dt.date(year, month, int(last)), "day", ref
        )
    if kind in ("month_day", "day_month"):
        a, b = m.groups()
        month_name, day_text = (a, b) if kind == "month_day" else (b, a)
        month, day_number = _month_number(month_name), int(day_text)
        day = dt.date(_latest_year(month, day_number, ref), month, day_number)
        return _result(day, day, "day", ref)
    if kind == "month_year":
        start, end = _month_interval(int(m.group(2)), _month_number(m.group(1)))
        return _result(start, end, "month", ref)
    if kind == "month":
        month = _month_number(m.group(1))
        year = ref.year if month <= ref.month else ref.year - 1
        if m.group(0).lower().startswith("next"):
            year = ref.year if month > ref.month else ref.year + 1
        start, end = _month_interval(year, month)
        return _result(
            start, min(end, ref) if year == ref.year and month == ref.month else end, "month", ref
        )
    if kind == "weekday":
        return _weekday(m.group(1), m.group(2), ref)
    if kind == "relative":
        return _relative(m.group(1).lower(), ref)
    if kind == "duration":
        raw = m.group(1).lower()
        years = int(raw) if raw.isdigit() else _NUMBER_WORDS[raw]
        if years > 200:
            return None
        start = dt.date(ref.year - years, 1, 1)
        return ResolvedDate(start, ref, "year", historical=False, duration_years=years)
    if kind == "year":
        year = int(m.group(1))
        return _result(dt.date(year, 1, 1), dt.date(year, 12, 31), "year", ref)
    return None


def _weekday(modifier: str | None, name: str, ref: dt.date) -> ResolvedDate:
    """The most recent such weekday; the reference day itself when it is that weekday."""
    target = _WEEKDAYS.index(name.lower())
    back = (ref.weekday() - target) % 7
    modifier = (modifier or "").lower()
    if modifier == "next":
        ahead = (target - ref.weekday()) % 7 or 7
        day = ref + dt.timedelta(days=ahead)
    else:
        if back == 0 and modifier in ("last", "past"):
            back = 7
        day = ref - dt.timedelta(days=back)
    return _result(day, day, "day", ref)


def _relative(phrase: str, ref: dt.date) -> ResolvedDate | None:
    one_day = dt.timedelta(days=1)
    if phrase in ("today", "tonight", "this morning", "this afternoon", "this evening"):
        return _result(ref, ref, "day", ref)
    if phrase in ("yesterday", "last night"):
        return _result(ref - one_day, ref - one_day, "day", ref)
    if phrase in ("this week", "earlier this week"):
        monday, _ = _week_of(ref)
        end = ref - one_day if phrase.startswith("earlier") and ref > monday else ref
        return _result(monday, end, "week", ref)
    if phrase in ("last week", "the past week", "the previous week", "the last week", "past week"):
        monday, sunday = _week_of(ref - dt.timedelta(days=7))
        return _result(monday, sunday, "week", ref)
    if phrase in ("this month", "earlier this month"):
        return _result(ref.replace(day=1), ref, "month", ref)
    if phrase in (
        "last month",
        "the past month",
        "the previous month",
        "the last month",
        "past month",
    ):
        last_of_previous = ref.replace(day=1) - one_day
        start, end = _month_interval(last_of_previous.year, last_of_previous.month)
        return _result(start, end, "month", ref)
    if phrase in ("this year", "earlier this year"):
        return _result(dt.date(ref.year, 1, 1), ref, "year", ref)
    if phrase in ("last year", "the past year", "the previous year", "the last year", "past year"):
        return _result(dt.date(ref.year - 1, 1, 1), dt.date(ref.year - 1, 12, 31), "year", ref)
    if phrase.startswith("next "):
        return None
    ago = re.fullmatch(r"(a|one|two|three|four|five|six|\d+) (day|week|month|year)s? ago", phrase)
    if ago:
        count = (
            1
            if ago.group(1) in ("a", "one")
            else int(ago.group(1))
            if ago.group(1).isdigit()
            else _NUMBER_WORDS[ago.group(1)]
        )
        unit = ago.group(2)
        if unit == "day":
            day = ref - dt.timedelta(days=count)
            return _result(day, day, "day", ref)
        if unit == "week":
            return _result(*_week_of(ref - dt.timedelta(days=7 * count)), "week", ref)
        if unit == "month":
            month_index = ref.year * 12 + ref.month - 1 - count
            return _result(*_month_interval(month_index // 12, month_index % 12 + 1), "month", ref)
        return _result(
            dt.date(ref.year - count, 1, 1), dt.date(ref.year - count, 12, 31), "year", ref
        )
    return None
