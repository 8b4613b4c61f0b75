"""An event cluster's consensus record, its sources and the contradictions between them.

Every independent source votes once: reports that are copies of one wire story (the same
``wire_group``) count as one source, the earliest copy speaking for the group.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from pydantic import Field

from dateline.link.clusters import figure_interval, km_between
from dateline.models import Count, Event, Location, Record, Span, Spanned

_PRECISION_RANK = {"point": 0, "town": 1, "admin1": 2, "country": 3}
_DATE_RANK = {"day": 0, "week": 1, "month": 2, "year": 3, "reported": 4}
PLACE_DISAGREE_KM = 5.0  # two towns this far apart are two different claims about the place
_T = TypeVar("_T", bound=Hashable)
FATALITIES_RULE = "median of the independent sources' best estimates"


class SourceInfo(Record):
    """The document an event came from, as a cluster lists it."""

    doc_id: str
    wire_group: str
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published: dt.date | None = None
    reference_date: dt.date


class ClusterSource(Record):
    """One report in a cluster: its event, its document and what it says."""

    event_id: str
    doc_id: str
    wire_group: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: dt.date | None = None
    claimed_by: str = "reporter"
    location: str | None = None
    date_start: dt.date
    date_end: dt.date
    date_precision: str
    fatalities: Count | None = None
    sentence: str


class ClusterEvidence(Spanned):
    """A span in one source document that a cluster check points to."""

    doc_id: str
    event_id: str


class ClusterCheck(Record):
    """A contradiction between sources of one cluster, with the spans that show it."""

    kind: str
    message: str
    evidence: list[ClusterEvidence] = Field(default_factory=list)


class ClusterPlace(Record):
    """The consensus place of a cluster."""

    name: str | None = None
    lat: float | None = None
    lon: float | None = None
    country: str | None = None
    admin1: str | None = None
    geonameid: int | None = None
    geo_precision: str | None = None


class EventCluster(Record):
    """One real-world event as all its sources tell it: consensus, sources, contradictions."""

    id: str
    event_type: str
    mode: str | None = None
    acled_event_type: str | None = None
    acled_sub_event_type: str | None = None
    actor1: str | None = None
    actor1_country: str | None = None
    actor2: str | None = None
    actor2_country: str | None = None
    location: ClusterPlace | None = None
    date_start: dt.date
    date_end: dt.date
    date_precision: str
    fatalities_low: int | None = None
    fatalities_best: int | None = None
    fatalities_high: int | None = None
    fatalities_rule: str | None = None
    event_count: int
    document_count: int
    source_count: int = Field(description="independent sources: wire copies count once")
    event_ids: list[str]
    sources: list[ClusterSource]
    checks: list[ClusterCheck] = Field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Member:
    event: Event
    info: SourceInfo


def _vote(
    values: Sequence[_T | None], *, tie: Callable[[_T], tuple[object, ...]] | None = None
) -> _T | None:
    """The most frequent non-missing value; ties broken by ``tie`` then first seen."""
    counts = Counter(v for v in values if v is not None)
    if not counts:
        return None
    order = {v: i for i, v in reversed(list(enumerate(values))) if v is not None}
    return min(counts, key=lambda v: (-counts[v], *(tie(v) if tie else ()), order[v]))


def _contains(outer: Location, inner: Location) -> bool:
    """Whether a place is the same as, or an area containing, another place."""
    if outer.geonameid is not None and outer.geonameid == inner.geonameid:
        return True
    if outer.geo_precision == "country":
        return outer.country is not None and outer.country == inner.country
    if outer.geo_precision == "admin1":
        return (
            outer.country == inner.country
            and outer.admin1 is not None
            and outer.admin1 == inner.admin1
        )
    return outer.name is not None and outer.name == inner.name and outer.geonameid is None


def _place(representatives: Sequence[_Member]) -> Location | None:
    """The best-supported place: the finest one that most sources name or contain."""
    places = [m.event.location for m in representatives if m.event.location is not None]
    if not places:
        return None

    def support(place: Location) -> int:
        return sum(1 for p in places if _contains(p, place) or _contains(place, p))

    return min(
        places,
        key=lambda p: (-support(p), _PRECISION_RANK.get(p.geo_precision or "country", 4)),
    )


def _date(representatives: Sequence[_Member]) -> tuple[dt.date, dt.date, str]:
    """The best-supported dates: the finest interval that most sources' intervals overlap."""
    dates = [m.event.date for m in representatives]

    def support(start: dt.date, end: dt.date) -> int:
        return sum(1 for d in dates if d.start <= end and start <= d.end)

    best = min(
        dates, key=lambda d: (-support(d.start, d.end), _DATE_RANK.get(d.precision, 9), d.start)
    )
    return best.start, best.end, best.precision


def _fatalities(representatives: Sequence[_Member]) -> tuple[int | None, ...]:
    counts = [
        m.event.fatalities
        for m in representatives
        if m.event.fatalities is not None and not m.event.fatalities.cumulative
    ]
    lows = [c.low if c.low is not None else c.best for c in counts]
    highs = [c.high if c.high is not None else c.best for c in counts]
    bests = [c.best for c in counts if c.best is not None]
    low = min((v for v in lows if v is not None), default=None)
    high = max((v for v in [*highs, *lows] if v is not None), default=None)
    best = statistics.median_low(bests) if bests else None
    return low, best, high


def _representatives(members: Sequence[_Member]) -> list[_Member]:
    """One member per independent source: the earliest report of each wire group."""
    chosen: dict[str, _Member] = {}
    for member in sorted(members, key=_report_order):
        chosen.setdefault(member.info.wire_group, member)
    return sorted(chosen.values(), key=_report_order)


def _report_order(member: _Member) -> tuple[dt.date, str, str]:
    info = member.info
    return info.published or info.reference_date, info.doc_id, member.event.id


def _evidence(member: _Member, value: Spanned | None) -> ClusterEvidence:
    spanned = value or Spanned(
        text=member.event.provenance.sentence,
        span=Span(start=member.event.provenance.start, end=member.event.provenance.end),
    )
    return ClusterEvidence(
        text=spanned.text, span=spanned.span, doc_id=member.info.doc_id, event_id=member.event.id
    )


def _label(member: _Member) -> str:
    return member.info.source or member.info.title or member.info.doc_id[:8]


def _fatality_checks(representatives: Sequence[_Member]) -> list[ClusterCheck]:
    with_counts = [
        m
        for m in representatives
        if m.event.fatalities is not None and not m.event.fatalities.cumulative
    ]
    checks: list[ClusterCheck] = []
    for i, first in enumerate(with_counts):
        for second in with_counts[i + 1 :]:
            a, b = first.event.fatalities, second.event.fatalities
            assert a is not None and b is not None
            a_lo, a_hi = figure_interval((a.low, a.best, a.high))
            b_lo, b_hi = figure_interval((b.low, b.best, b.high))
            if a_lo <= b_hi and b_lo <= a_hi:
                continue
            checks.append(
                ClusterCheck(
                    kind="fatalities_disagree",
                    message=(
                        f"death tolls differ beyond their qualifiers: {_label(first)} says "
                        f"{a.text!r}, {_label(second)} says {b.text!r}"
                    ),
                    evidence=[_evidence(first, a), _evidence(second, b)],
                )
            )
    return checks


def _distinct_checks(
    representatives: Sequence[_Member],
    *,
    kind: str,
    what: str,
    key: Callable[[_Member], Hashable | None],
    show: Callable[[_Member], str],
    span: Callable[[_Member], Spanned | None],
    differ: Callable[[_Member, _Member], bool] | None = None,
) -> list[ClusterCheck]:
    """One check when independent sources give different values for one field."""
    firsts: dict[Hashable, _Member] = {}
    for member in representatives:
        value = key(member)
        if value is not None:
            firsts.setdefault(value, member)
    if len(firsts) < 2:
        return []
    shown = list(firsts.values())
    if differ is not None and not any(
        differ(a, b) for i, a in enumerate(shown) for b in shown[i + 1 :]
    ):
        return []
    said = "; ".join(f"{_label(m)}: {show(m)}" for m in shown)
    return [
        ClusterCheck(
            kind=kind,
            message=f"sources give different {what}: {said}",
            evidence=[_evidence(m, span(m)) for m in shown],
        )
    ]


def _far_apart(a: _Member, b: _Member) -> bool:
    la, lb = a.event.location, b.event.location
    if la is None or lb is None or None in (la.lat, la.lon, lb.lat, lb.lon):
        return True
    assert la.lat is not None and la.lon is not None and lb.lat is not None and lb.lon is not None
    return km_between(la.lat, la.lon, lb.lat, lb.lon) > PLACE_DISAGREE_KM


def _cluster_checks(members: Sequence[_Member]) -> list[ClusterCheck]:
    """Contradictions between independent sources: tolls, days, towns, actor names, modes."""
    reps = _representatives(members)
    checks = _fatality_checks(reps)
    checks += _distinct_checks(
        reps,
        kind="date_disagree",
        what="days",
        key=lambda m: m.event.date.start if m.event.date.precision == "day" else None,
        show=lambda m: f"{m.event.date.start.isoformat()} ({m.event.date.text!r})",
        span=lambda m: m.event.date,
    )
    checks += _distinct_checks(
        reps,
        kind="place_disagree",
        what="places",
        key=lambda m: (
            (m.event.location.geonameid or m.event.location.name)
            if m.event.location is not None and m.event.location.geo_precision in ("point", "town")
            else None
        ),
        show=lambda m: repr(m.event.location.text) if m.event.location else "?",
        span=lambda m: m.event.location,
        differ=_far_apart,
    )
    for role in ("actor1", "actor2"):
        checks += _distinct_checks(
            reps,
            kind="actor_named_differently",
            what=f"names for {role}",
            key=lambda m, r=role: getattr(m.event, r).name if getattr(m.event, r) else None,  # type: ignore[misc]
            show=lambda m, r=role: repr(getattr(m.event, r).text),  # type: ignore[misc]
            span=lambda m, r=role: getattr(m.event, r),  # type: ignore[misc]
        )
    checks += _distinct_checks(
        reps,
        kind="mode_disagree",
        what="modes",
        key=lambda m: m.event.mode,
        show=lambda m: f"{m.event.mode} ({m.event.provenance.trigger.text!r})",
        span=lambda m: m.event.provenance.trigger,
    )
    return checks


def cluster_source(event: Event, info: SourceInfo) -> ClusterSource:
    """One report as a cluster lists it: its event and document, and what it says."""
    return ClusterSource(
        event_id=event.id,
        doc_id=info.doc_id,
        wire_group=info.wire_group,
        title=info.title,
        url=info.url,
        outlet=info.source,
        published=info.published,
        claimed_by=event.source.name,
        location=(event.location.name or event.location.text) if event.location else None,
        date_start=event.date.start,
        date_end=event.date.end,
        date_precision=event.date.precision,
        fatalities=event.fatalities,
        sentence=event.provenance.sentence.strip(),
    )


def build_cluster(
    cluster_id: str,
    members: Sequence[tuple[Event, SourceInfo]],
    *,
    source: Callable[[Event, SourceInfo], ClusterSource] = cluster_source,
) -> EventCluster:
    """The consensus record of a cluster from its member events and their documents.

    ``source`` makes each member's entry in ``sources`` (a store may reuse earlier ones)."""
    if not members:
        raise ValueError(f"cluster {cluster_id} has no events")
    items = sorted((_Member(e, i) for e, i in members), key=_report_order)
    reps = _representatives(items)
    events = [m.event for m in reps]
    event_type = _vote([e.event_type for e in events], tie=lambda t: (t,))
    assert event_type is not None
    typed = [e for e in events if e.event_type == event_type]
    mode = _vote([e.mode for e in typed], tie=lambda v: (v,))
    sub = _vote(
        [e.acled_sub_event_type for e in typed if mode is None or e.mode in (mode, None)],
        tie=lambda v: (v,),
    )
    acled = next((e.acled_event_type for e in typed if e.acled_sub_event_type == sub), None)
    if acled is None:
        acled = _vote([e.acled_event_type for e in typed], tie=lambda v: (v,))
    actor1 = _vote([e.actor1.name if e.actor1 else None for e in typed], tie=lambda v: (v,))
    actor2 = _vote([e.actor2.name if e.actor2 else None for e in typed], tie=lambda v: (v,))
    place = _place([m for m in reps if m.event.event_type == event_type])
    start, end, precision = _date([m for m in reps if m.event.event_type == event_type])
    low, best, high = _fatalities([m for m in reps if m.event.event_type == event_type])
    return EventCluster(
        id=cluster_id,
        event_type=event_type,
        mode=mode,
        acled_event_type=acled,
        acled_sub_event_type=sub,
        actor1=actor1,
        actor1_country=next(
            (e.actor1.country for e in typed if e.actor1 and e.actor1.name == actor1), None
        ),
        actor2=actor2,
        actor2_country=next(
            (e.actor2.country for e in typed if e.actor2 and e.actor2.name == actor2), None
        ),
        location=ClusterPlace(
            name=place.name,
            lat=place.lat,
            lon=place.lon,
            country=place.country,
            admin1=place.admin1,
            geonameid=place.geonameid,
            geo_precision=place.geo_precision,
        )
        if place is not None
        else None,
        date_start=start,
        date_end=end,
        date_precision=precision,
        fatalities_low=low,
        fatalities_best=best,
        fatalities_high=high,
        fatalities_rule=FATALITIES_RULE if best is not None else None,
        event_count=len(items),
        document_count=len({m.info.doc_id for m in items}),
        source_count=len(reps),
        event_ids=[m.event.id for m in items],
        sources=[source(m.event, m.info) for m in items],
        checks=_cluster_checks(items),
    )
