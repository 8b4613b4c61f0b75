"""Date expressions in sentences, resolved against the reference date into intervals.

Regular expressions we control find the expressions (deterministic and fast); each one
resolves to ``start``/``end`` with a precision, UCDP-style. Month and weekday names count
only when capitalised, so "they may attack" and "the march on the capital" are not dates.

An expression names a calendar unit ("this week" is the whole week). Which occurrence a
bare name means ("Tuesday", "March 12", "April") depends on tense: ``prefer="past"`` for
events that happened (the interval then also ends no later than the reference date),
``"future"`` for expected ones, ``"nearest"`` when nothing is known.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import Literal

from dateline.document import DATE_PATTERN, parse_date_match

Precision = Literal["day", "week", "month", "year"]
Prefer = Literal["past", "future", "nearest"]

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTH_NAMES = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
_MONTH_NAMES["sept"] = 9
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_ORDINAL_DAYS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
}  # fmt: skip
# Events more than this long before the reference date are history, not news.
HISTORICAL_DAYS = 60
# Without tense, a bare month or "March 12" is the occurrence from 7 months before to 4 months
# after the reference date: the window that fits most TempEval-3 (tempeval3 set) values.
_NEAREST_MONTHS_BACK = 7

_M = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_WD = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(\d{4})"
_NUM = r"(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d+)"
_APPROX = r"(?:(?:almost|nearly|about|around|some|roughly|more than|over|just over|less than)\s+)?"
_RELATIVE = (
    r"\b(?:(?:early|late|earlier|later)\s+)?(?:yesterday|today|tonight|tomorrow|last night"
    r"|this (?:morning|afternoon|evening)"
    r"|(?:earlier|later|early|late) (?:this|next|last) (?:week|month|year)"
    r"|(?:last|this|next|past|coming) (?:week|month|year)|(?:this|the) coming (?:week|month|year)"
    r"|the (?:past|previous|last|following|next|current|same) (?:week|month|year)"
    r"|earlier in the (?:week|month|year)|the (?:full |current )?(?:fiscal )?year"
    rf"|{_APPROX}{_NUM} (?:days?|weeks?|months?|years?) (?:ago|earlier|before)"
    r"|year-(?:earlier|ago)|overnight|(?:over|at|during) the weekend|(?:last|this past) weekend"
    r"|the (?:previous|following|next) (?:day|night|morning)|the day before)\b"
)
_YEAR_ALONE = r"\b((?:19|20)\d{2})(?:['’]s\b)?"
_SPELLED_TENS = r"(?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"  # noqa: E501
_SPELLED_UNITS = r"(?:one|two|three|four|five|six|seven|eight|nine)"
_SPELLED_YEAR = (
    rf"(?:(?:the year )?(nineteen|twenty) ({_SPELLED_TENS}(?:[- ]{_SPELLED_UNITS})?|hundred)"
    rf"|(?:the year )?two thousand(?: and ({_SPELLED_UNITS}|{_SPELLED_TENS}))?)"
)
# (kind, pattern, used when searching sentences): some forms are only safe as a whole expression.
_PATTERNS: list[tuple[str, re.Pattern[str], bool]] = [
    ("weekday_date", re.compile(
        rf"\b({_WD}),?\s+({_M})\s+{_DAY}\b(?!\s*(?:-|–|,?\s*\d{{4}}))"), True),
    ("week_of", re.compile(rf"\bthe week of\s+({_M})\s+{_DAY}(?:,?\s+{_YEAR})?"), True),
    ("full", DATE_PATTERN, True),
    ("range", re.compile(
        rf"\b(?:between\s+|from\s+)?{_DAY}\s*(?:-|–|to|and)\s*{_DAY}\s+(?:of\s+)?({_M})"
        rf"(?:,?\s+{_YEAR})?"), True),
    ("range", re.compile(
        rf"\b(?:between\s+|from\s+)?({_M})\s+{_DAY}\s*(?:-|–|to|and)\s*{_DAY}(?:,?\s+{_YEAR})?"),
        True),
    ("month_day", re.compile(rf"\b({_M})\s+{_DAY}\b(?!\s*(?:-|–|,?\s*\d{{4}}))"), True),
    ("month_day", re.compile(
        rf"\b({_M})\s+(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth"
        r"|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth"
        r"|nineteenth|twentieth|thirtieth)\b"), True),
    ("day_month", re.compile(rf"\b{_DAY}\s+(?:of\s+)?({_M})\b(?!\s+\d{{4}})"), True),
    ("month_year", re.compile(rf"\b({_M}),?\s+{_YEAR}\b"), True),
    ("month_year", re.compile(rf"\b({_M})\s+(?:of\s+)?({_SPELLED_YEAR})"), False),
    ("month_relative", re.compile(rf"\b({_M})\s+(this|last|next) year\b"), True),
    ("month", re.compile(
        rf"\b(?i:(?:in|since|during|until|by|from|early|late|mid-?|last|this|next|this coming"
        rf"|the end of|the beginning of|the middle of|the start of)\s+)({_M})\b(?![\s-]*\d)"),
        True),
    ("month", re.compile(rf"\b(?:(last|this|next)\s+)?({_M})"), False),
    ("weekday", re.compile(
        rf"\b(?:(?:early|late|earlier|later)\s+)?(?:(on|last|this|next|past|since|the previous"
        rf"|this coming|the following)\s+)?({_WD})(?:['’]s)?"
        r"(?:\s+(?:morning|afternoon|evening|night))?\b", re.I), True),
    ("relative", re.compile(_RELATIVE, re.I), True),
    ("duration", re.compile(
        rf"\b(\d{{1,3}}|{'|'.join(k for k in _NUMBER_WORDS if len(k) > 2)})-year(?:-long|-old)?\b",
        re.I), True),
    ("fiscal", re.compile(r"\bfiscal (?:year )?((?:19|20)\d{2})\b", re.I), True),
    ("spelled_year", re.compile(_SPELLED_YEAR, re.I), False),
    ("year", re.compile(_YEAR_ALONE), True),
    ("year", re.compile(r"(1[0-9]\d{2}|20\d{2})"), False),
]  # fmt: skip
_YEARLESS = frozenset({"weekday_date", "week_of", "range", "month_day", "day_month", "month"})
# Words around an expression that do not change the unit it names ("early 1990", "mid-March").
_PREFIX = re.compile(
    r"^(?:around|about|approximately|roughly|circa|as early as|as late as|sometime in|some time in"
    r"|a good part of|much of|the end of|the beginning of|the start of|the middle of|the close of"
    r"|the first half of|the second half of|the rest of|post-|pre-|mid-|late-|early-"
    r"|(?:early|late|mid)\s+(?=(?:next|this|last) |\d|[A-Z]))\s*",
    re.I,
)
_SUFFIX = re.compile(r"\s*(?:or so|and beyond|or later|or earlier|and after)$|['’]s$|[.,]$", re.I)


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
    if re.search(r"\b(in|since|during|of|until|by|from|to|and|early|late|mid-?|the)\s*$", before):
        # "in 2021", "the 2019 siege": a year; "the 2000 troops", "by 2000 km": a number.
        return not re.match(
            r"\s*(?:-\s*)?(people|civilians|soldiers|km|kilometres|kilometers|miles|troops|dead"
            r"|killed|men|women|children|fighters|police|residents|families|homes|houses"
            r"|buildings|tons|tonnes|metres|meters|feet|dollars|euros|vehicles|tanks)\b",
            after,
        )
    return bool(re.match(r"\s*[,.;)]|\s*$", after))


def find_date_expressions(text: str) -> list[DateExpression]:
    """Temporal expressions in a sentence, the longest where they overlap, in text order."""
    candidates: list[DateExpression] = []
    for kind, pattern, searchable in _PATTERNS:
        if not searchable:
            continue
        for match in pattern.finditer(text):
            start, end = match.span()
            if start == end:
                continue
            if kind == "year" and not _year_is_date(text, match):
                continue
            if kind == "weekday" and not match.group(2)[0].isupper():
                continue
            candidates.append(DateExpression(match.group(0), start, end, kind))
    found: list[DateExpression] = []
    for expr in sorted(candidates, key=lambda e: (-(e.end - e.start), e.start)):
        if not any(f.start < expr.end and expr.start < f.end for f in found):
            found.append(expr)
    return sorted(found, key=lambda e: e.start)


def _month_number(name: str) -> int:
    return _MONTH_NAMES[name.lower().rstrip(".")]


def _month_interval(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _year_for(month: int, day: int, ref: dt.date, prefer: Prefer) -> int:
    """The year that puts month/day where the tense says: on/before, on/after or near ref."""
    if prefer == "past":
        return ref.year if (month, day) <= (ref.month, ref.day) else ref.year - 1
    if prefer == "future":
        return ref.year if (month, day) >= (ref.month, ref.day) else ref.year + 1
    ahead = (month - ref.month) % 12
    return (
        ref.year + (month < ref.month)
        if ahead <= 11 - _NEAREST_MONTHS_BACK
        else (ref.year - (month > ref.month))
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


def _normalise(text: str) -> str:
    """Drop hedges and part-of words that keep the unit: "around mid-November" → "November"."""
    previous = None
    text = " ".join(text.split())
    while previous != text:
        previous = text
        text = _SUFFIX.sub("", _PREFIX.sub("", text)).strip()
    return text


def resolve_date(
    expr_text: str, reference: dt.date, *, prefer: Prefer = "nearest"
) -> ResolvedDate | None:
    """Resolve one expression against the reference date; None when it cannot be (never raises).

    With ``prefer="past"`` the event has happened: the interval ends no later than the
    reference date when it contains it ("this week" → Monday to the reference date).
    """
    for text in dict.fromkeys((expr_text.strip(), _normalise(expr_text))):
        for kind, pattern, _ in _PATTERNS:
            match = pattern.fullmatch(text)
            if match is None:
                continue
            try:
                resolved = _resolve(kind, match, reference, prefer)
            except (ValueError, KeyError, OverflowError):
                return None
            if resolved is None:
                continue
            if kind in _YEARLESS and not re.search(r"\d{4}", text):
                # "December 9", "in March": a date of the news year by construction, never
                # history; when it lands far back the reference date is more likely off.
                resolved = replace(resolved, historical=False)
            if prefer == "past" and resolved.start <= reference < resolved.end:
                resolved = replace(resolved, end=reference)
            return resolved
    return None


def _resolve(kind: str, m: re.Match[str], ref: dt.date, prefer: Prefer) -> ResolvedDate | None:
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
        year = int(year_text) if year_text else _year_for(month, int(first), ref, prefer)
        return _result(
            dt.date(year, month, int(first)), dt.date(year, month, int(last)), "day", ref
        )
    if kind in ("month_day", "day_month"):
        a, b = m.groups()
        month_name, day_text = (a, b) if kind == "month_day" else (b, a)
        month = _month_number(month_name)
        day_number = int(day_text) if day_text.isdigit() else _ORDINAL_DAYS[day_text.lower()]
        day = dt.date(_year_for(month, day_number, ref, prefer), month, day_number)
        return _result(day, day, "day", ref)
    if kind == "weekday_date":
        return _weekday_date(m, ref, prefer)
    if kind == "week_of":
        month, day_number = _month_number(m.group(1)), int(m.group(2))
        year = int(m.group(3)) if m.group(3) else _year_for(month, day_number, ref, prefer)
        return _result(*_week_of(dt.date(year, month, day_number)), "week", ref)
    if kind == "month_year":
        year_text = m.group(2)
        named = int(year_text) if year_text.isdigit() else _spelled_year(year_text)
        if named is None:
            return None
        start, end = _month_interval(named, _month_number(m.group(1)))
        return _result(start, end, "month", ref)
    if kind == "month_relative":
        offset = {"this": 0, "last": -1, "next": 1}[m.group(2).lower()]
        start, end = _month_interval(ref.year + offset, _month_number(m.group(1)))
        return _result(start, end, "month", ref)
    if kind == "month":
        return _month(m, ref, prefer)
    if kind == "weekday":
        return _weekday(m.group(1), m.group(2), ref, prefer)
    if kind == "relative":
        return _relative(m.group(0).lower(), ref)
    if kind == "duration":
        raw = m.group(1).lower()
        years = int(raw) if raw.isdigit() else _NUMBER_WORDS[raw]
        if years > 200:
            return None
        start = dt.date(ref.year - years, 1, 1)
        return ResolvedDate(start, ref, "year", historical=False, duration_years=years)
    if kind in ("year", "fiscal", "spelled_year"):
        whole = int(m.group(1)) if kind != "spelled_year" else _spelled_year(m.group(0))
        if whole is None:
            return None
        return _result(dt.date(whole, 1, 1), dt.date(whole, 12, 31), "year", ref)
    return None


def _spelled_year(text: str) -> int | None:
    """'nineteen ninety-six' → 1996, 'the year two thousand' → 2000."""
    words = re.sub(r"^the year\s+", "", text.lower()).replace("-", " ").split()
    if words[:2] == ["two", "thousand"]:
        rest = [w for w in words[2:] if w != "and"]
        return 2000 + sum(_NUMBER_WORDS.get(w, 0) for w in rest)
    if len(words) >= 2 and words[0] in ("nineteen", "twenty"):
        century = _NUMBER_WORDS[words[0]] * 100
        if words[1] == "hundred":
            return century
        return century + sum(_NUMBER_WORDS.get(w, 0) for w in words[1:])
    return None


def _month(m: re.Match[str], ref: dt.date, prefer: Prefer) -> ResolvedDate:
    """'in March', 'last April', 'this September', bare 'April'."""
    month = _month_number(m.group(m.lastindex or 1))
    words = m.group(0).lower()
    if re.match(r"(?:this|this coming)\s", words):
        year = ref.year
    elif words.startswith("next"):
        year = ref.year if month > ref.month else ref.year + 1
    elif words.startswith(("last", "since", "until", "by")) or (
        words.startswith(("in ", "during ")) and prefer == "past"
    ):
        year = ref.year if month <= ref.month else ref.year - 1
    else:
        year = _year_for(month, 1, ref, prefer)
        if prefer == "past" and month == ref.month:
            year = ref.year
    return _result(*_month_interval(year, month), "month", ref)


def _weekday(modifier: str | None, name: str, ref: dt.date, prefer: Prefer) -> ResolvedDate:
    """The most recent such weekday (the reference day itself when it is that weekday);
    the next one for expected events or 'next Friday'."""
    target = _WEEKDAYS.index(name.lower())
    back = (ref.weekday() - target) % 7
    modifier = " ".join((modifier or "").lower().split())
    if modifier in ("next", "this coming", "the following") or (
        prefer == "future" and modifier not in ("last", "past", "since", "the previous")
    ):
        ahead = (target - ref.weekday()) % 7
        explicit = modifier in ("next", "this coming", "the following")
        day = ref + dt.timedelta(days=ahead or (7 if explicit else 0))
    else:
        if back == 0 and modifier in ("last", "past", "the previous"):
            back = 7
        day = ref - dt.timedelta(days=back)
    return _result(day, day, "day", ref)


def _weekday_date(m: re.Match[str], ref: dt.date, prefer: Prefer) -> ResolvedDate:
    """'Monday, Oct. 26': the year in which that date falls on that weekday, nearest first."""
    weekday = _WEEKDAYS.index(m.group(1).lower())
    month, day_number = _month_number(m.group(2)), int(m.group(3))
    guess = _year_for(month, day_number, ref, prefer)
    for year in (guess, guess - 1, guess + 1):
        try:
            day = dt.date(year, month, day_number)
        except ValueError:
            continue
        if day.weekday() == weekday:
            return _result(day, day, "day", ref)
    day = dt.date(guess, month, day_number)
    return _result(day, day, "day", ref)


def _unit_interval(unit: str, offset: int, ref: dt.date) -> tuple[dt.date, dt.date]:
    """The calendar week, month or year ``offset`` units from the one holding ``ref``."""
    if unit == "week":
        return _week_of(ref + dt.timedelta(days=7 * offset))
    if unit == "month":
        index = ref.year * 12 + ref.month - 1 + offset
        return _month_interval(index // 12, index % 12 + 1)
    return dt.date(ref.year + offset, 1, 1), dt.date(ref.year + offset, 12, 31)


def _relative(phrase: str, ref: dt.date) -> ResolvedDate | None:
    phrase = re.sub(
        r"^(?:early|late|earlier|later) (?=yesterday|today|tonight|tomorrow)", "", phrase
    )
    one_day = dt.timedelta(days=1)
    if phrase in ("today", "tonight", "this morning", "this afternoon", "this evening"):
        return _result(ref, ref, "day", ref)
    if phrase in ("yesterday", "last night"):
        return _result(ref - one_day, ref - one_day, "day", ref)
    if phrase == "tomorrow":
        return _result(ref + one_day, ref + one_day, "day", ref)
    if phrase == "overnight":  # the night that ends on the reference date
        return _result(ref - one_day, ref, "day", ref)
    if phrase.endswith("weekend"):  # the last Saturday and Sunday before the reference date
        sunday = ref - dt.timedelta(days=(ref.weekday() + 1) % 7)
        return _result(sunday - one_day, sunday, "week", ref)
    if re.fullmatch(r"the (?:previous (?:day|night|morning)|day before)", phrase):
        return _result(ref - one_day, ref - one_day, "day", ref)
    if re.fullmatch(r"the (?:following|next) (?:day|night|morning)", phrase):
        return _result(ref + one_day, ref + one_day, "day", ref)
    if phrase in ("year-earlier", "year-ago"):
        return _result(*_unit_interval("year", -1, ref), "year", ref)
    if re.fullmatch(r"the (?:full |current )?(?:fiscal )?year", phrase):
        return _result(*_unit_interval("year", 0, ref), "year", ref)
    unit_match = re.search(r"(week|month|year)$", phrase)
    if unit_match and " ago" not in phrase and not re.search(r"\d|earlier$|before$", phrase):
        unit = unit_match.group(1)
        words = phrase[: unit_match.start()].split()
        if words and words[-1] in ("last", "past", "previous"):
            offset = -1
        elif words and words[-1] in ("next", "coming", "following"):
            offset = 1
        else:  # this, current, same, earlier this, earlier in the
            offset = 0
        precision: Precision = "week" if unit == "week" else "month" if unit == "month" else "year"
        return _result(*_unit_interval(unit, offset, ref), precision, ref)
    ago = re.search(r"(\w+) (day|week|month|year)s? (?:ago|earlier|before)$", phrase)
    if ago is None:
        return None
    raw = ago.group(1)
    count = int(raw) if raw.isdigit() else _NUMBER_WORDS.get(raw)
    if count is None:
        return None
    unit = ago.group(2)
    if unit == "day":
        day = ref - dt.timedelta(days=count)
        return _result(day, day, "day", ref)
    precision = "week" if unit == "week" else "month" if unit == "month" else "year"
    return _result(*_unit_interval(unit, -count, ref), precision, ref)
