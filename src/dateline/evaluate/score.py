"""Scoring records against gold items, field by field, with the number of items scored.

The system's answer for an item is its *top event*: the event with the highest confidence
(ties: the earliest). "Any" metrics also accept any extracted event.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import pycountry

from dateline.evaluate.gold import PLACEHOLDER_DATE, GoldItem, GoldSet, Timex
from dateline.models import DocumentRecord, Event, RawDocument, Rejected


class Extractor(Protocol):
    """What eval needs of a pipeline: records for raw documents, in input order."""

    def pipe(self, raws: Iterable[RawDocument]) -> Iterator[DocumentRecord | Rejected]: ...


@dataclass
class Metric:
    """A share of hits over the items scored, or a median of values."""

    hits: int = 0
    n: int = 0
    values: list[float] = field(default_factory=list)

    def add(self, hit: bool) -> None:
        self.hits += int(hit)
        self.n += 1

    def value(self) -> float | None:
        if self.values:
            return round(statistics.median(self.values), 3)
        return round(self.hits / self.n, 4) if self.n else None


@dataclass
class SetReport:
    """Metrics, confusion tables and per-item comparisons for one set."""

    name: str
    size: int
    metrics: dict[str, Metric] = field(default_factory=dict)
    confusion: dict[str, Counter[tuple[str, str]]] = field(default_factory=dict)
    items: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)

    def metric(self, name: str) -> Metric:
        return self.metrics.setdefault(name, Metric())

    def confuse(self, table: str, gold: str, predicted: str | None) -> None:
        self.confusion.setdefault(table, Counter())[(gold, predicted or "-")] += 1

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "size": self.size,
            "metrics": {
                k: {"value": m.value(), "n": m.n or len(m.values)}
                for k, m in sorted(self.metrics.items())
                if m.n or m.values
            },
            "confusion": {
                table: [
                    {"gold": g, "predicted": p, "count": c}
                    for (g, p), c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
                ]
                for table, counts in sorted(self.confusion.items())
            },
            "errors": self.errors,
            "items": self.items,
        }


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(a)))


def top_event(
    events: Sequence[Event], *, where: Callable[[Event], bool] = lambda e: True
) -> Event | None:
    """The event the system is most sure of (first on ties), among those ``where`` accepts."""
    chosen = [e for e in events if where(e)]
    if not chosen:
        return None
    return max(reversed(chosen), key=lambda e: e.confidence)


def _raw(item: GoldItem) -> RawDocument:
    return RawDocument(text=item.text, origin=item.id, published=item.published or PLACEHOLDER_DATE)


def _iso3(code: str) -> str | None:
    code = code.strip().upper()
    return code if len(code) == 3 and pycountry.countries.get(alpha_3=code) is not None else None


def _gold_count(value: dict[str, Any] | None) -> int | None:
    if not value:
        return None
    for key in ("best", "low"):
        if isinstance(value.get(key), int):
            return int(value[key])
    return None


def score_items(
    gold: GoldSet, extractor: Extractor, *, on_item: Callable[[], None] = lambda: None
) -> SetReport:
    """Run the extractor over a set's items and score every gold field they carry."""
    report = SetReport(name=gold.name, size=len(gold))
    results = extractor.pipe(_raw(item) for item in gold.items)
    for item, result in zip(gold.items, results, strict=True):
        on_item()
        if isinstance(result, Rejected):
            report.errors.append({"id": item.id, "code": result.code, "reason": result.reason})
            report.metric("errors").add(True)
            continue
        report.metric("errors").add(False)
        report.items.append(_score_item(item, result, report))
    return report


def _score_item(item: GoldItem, record: DocumentRecord, report: SetReport) -> dict[str, Any]:
    events = [e for e in record.events if e.status not in ("historical",)]
    comparison: dict[str, Any] = {"id": item.id, "events_found": len(events)}
    has_gold_event = any(e.get("event_type") or e.get("acled_event_type") for e in item.events)
    if has_gold_event:
        report.metric("event_recall").add(bool(events))
    if (item.no_event or has_gold_event) and events:
        # Precision over items: an item with events found is a true or false detection.
        report.metric("event_precision").add(has_gold_event and not item.no_event)
    if item.events and has_gold_event:
        _score_event(item.events[0], events, report, comparison)
    if item.places:
        _score_places(item, record, report, comparison)
    return comparison


def _score_event(
    gold: dict[str, Any], events: list[Event], report: SetReport, out: dict[str, Any]
) -> None:
    top = top_event(events)
    if gold.get("event_type"):
        predicted = top.event_type if top else None
        report.metric("plover_type_top").add(predicted == gold["event_type"])
        report.metric("plover_type_any").add(gold["event_type"] in {e.event_type for e in events})
        report.confuse("plover_type", gold["event_type"], predicted)
        out["event_type"] = {"gold": gold["event_type"], "system": predicted}
    if gold.get("acled_event_type"):
        acled = top_event(events, where=lambda e: e.acled_event_type is not None)
        report.metric("acled_type").add(
            acled is not None and acled.acled_event_type == gold["acled_event_type"]
        )
        sub = acled.acled_sub_event_type if acled else None
        if gold.get("acled_sub_event_type"):
            report.metric("acled_sub_type").add(sub == gold["acled_sub_event_type"])
            report.confuse("acled_sub_type", gold["acled_sub_event_type"], sub)
        out["acled"] = {"gold": gold.get("acled_sub_event_type"), "system": sub}
    location = gold.get("location") or {}
    if isinstance(location.get("lat"), int | float) and isinstance(
        location.get("lon"), int | float
    ):
        loc = top.location if top else None
        if loc is not None and loc.lat is not None and loc.lon is not None:
            km = haversine_km(location["lat"], location["lon"], loc.lat, loc.lon)
            report.metric("event_geo_median_km").values.append(km)
            report.metric("event_geo_within_25km").add(km <= 25)
            report.metric("event_geo_within_161km").add(km <= 161)
            out["location"] = {"gold": location.get("name"), "system": loc.name, "km": round(km, 1)}
        else:
            report.metric("event_geo_within_25km").add(False)
            report.metric("event_geo_within_161km").add(False)
    gold_date = (gold.get("date") or {}).get("start")
    if isinstance(gold_date, str) and top is not None:
        day = dt.date.fromisoformat(gold_date[:10])
        report.metric("date_exact_day").add(top.date.start == day)
        report.metric("date_within_7_days").add(abs((top.date.start - day).days) <= 7)
        out["date"] = {"gold": gold_date, "system": top.date.start.isoformat()}
    gold_deaths = _gold_count(gold.get("fatalities"))
    if gold_deaths is not None:
        found = top.fatalities if top else None
        value = (found.best if found.best is not None else found.low) if found else 0
        value = value or 0
        report.metric("fatalities_exact").add(value == gold_deaths)
        report.metric("fatalities_within_10pct").add(
            abs(value - gold_deaths) <= 0.1 * max(gold_deaths, 1)
        )
        out["fatalities"] = {"gold": gold_deaths, "system": value}
    codes = [c for c in re.split(r"[;,\s]+", str(gold.get("actor1_code") or "")) if c]
    countries = {c for c in (_iso3(code) for code in codes) if c}
    if countries and top is not None:
        actor = top.actor1
        report.metric("actor1_country").add(actor is not None and actor.country in countries)
        out["actor1_country"] = {
            "gold": sorted(countries),
            "system": actor.country if actor else None,
        }


def _score_places(
    item: GoldItem, record: DocumentRecord, report: SetReport, out: dict[str, Any]
) -> None:
    gold_places = [p for p in item.places if isinstance(p.get("start"), int)]
    matched_system: set[int] = set()
    misses: list[str] = []
    for gold in gold_places:
        match = next(
            (
                (i, p)
                for i, p in enumerate(record.places)
                if p.span.start < gold["end"] and gold["start"] < p.span.end
            ),
            None,
        )
        report.metric("toponym_recall").add(match is not None)
        if match is None:
            misses.append(str(gold.get("name")))
            continue
        index, place = match
        matched_system.add(index)
        if (
            place.lat is not None
            and place.lon is not None
            and isinstance(gold.get("lat"), int | float)
        ):
            km = haversine_km(gold["lat"], gold["lon"], place.lat, place.lon)
            report.metric("geo_median_km").values.append(km)
            report.metric("geo_within_25km").add(km <= 25)
            report.metric("geo_within_161km").add(km <= 161)
    for index in range(len(record.places)):
        report.metric("toponym_precision").add(index in matched_system)
    out["toponyms"] = {"gold": len(gold_places), "found": len(record.places), "missed": misses}


def score_timexes(gold: GoldSet, *, on_item: Callable[[], None] = lambda: None) -> SetReport:
    """Resolve each DATE expression against its document date and compare with TIMEX3 values."""
    from dateline.resolve.dates import resolve_date

    report = SetReport(name=gold.name, size=len(gold))
    for timex in gold.timexes:
        on_item()
        expected = _timex_interval(timex)
        if timex.type != "DATE" or expected is None:
            continue
        resolved = resolve_date(timex.text, timex.dct)
        got = (resolved.start, resolved.end) if resolved else None
        report.metric("date_resolved").add(resolved is not None)
        report.metric("date_exact").add(got == expected)
        report.metric("date_within_7_days").add(
            got is not None and abs((got[0] - expected[0]).days) <= 7
        )
        if got != expected:
            report.items.append(
                {
                    "id": timex.id,
                    "text": timex.text,
                    "dct": timex.dct.isoformat(),
                    "gold": timex.value,
                    "system": [d.isoformat() for d in got] if got else None,
                }
            )
    return report


def _timex_interval(timex: Timex) -> tuple[dt.date, dt.date] | None:
    """TIMEX3 values as intervals: 2013-03-22, 2013-03, 2013-W11, 2013."""
    value = timex.value
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            day = dt.date.fromisoformat(value)
            return day, day
        if re.fullmatch(r"\d{4}-\d{2}", value):
            year, month = map(int, value.split("-"))
            last = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
            return dt.date(year, month, 1), last
        week = re.fullmatch(r"(\d{4})-W(\d{2})", value)
        if week:
            monday = dt.date.fromisocalendar(int(week.group(1)), int(week.group(2)), 1)
            return monday, monday + dt.timedelta(days=6)
        if re.fullmatch(r"\d{4}", value):
            return dt.date(int(value), 1, 1), dt.date(int(value), 12, 31)
    except ValueError:
        return None
    return None
