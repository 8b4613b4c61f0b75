"""Linking events across documents: which stored events describe the same real-world happening.

Hard rules first (same type, date windows that meet, places within reach given their
precision, no two perpetrators from different countries, no event with a threat of it), then a
score from date, place, actors, mode, figures and the words of the two sentences. Blocking by
week and area keeps the comparisons per event small; clusters grow one event at a time, so
ingesting an article touches only the clusters near its events.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from dateline.link.text import content_terms, term_similarity
from dateline.models import Document, Event

_FINE = frozenset({"point", "town"})
_FUTURE = frozenset({"threatened", "expected"})
_WEEK = 7
GRID_DEGREES = 0.5  # blocking cell, ~55 km: twice the largest town-to-town link distance


@dataclass(frozen=True, slots=True)
class LinkSettings:
    """Thresholds for linking.

    ``join_score`` and ``weights`` (date, place, actors, mode, fatalities, text) were calibrated
    together on eval/clusters and the synthetic set of bench/clusters.py (README, Event clusters).
    """

    max_km: float = 25.0  # towns further apart than this are different places
    reported_days: int = 2  # an event dated only by its article happened up to 2 days before
    longest_window_days: int = 62  # vaguer dates (a year, a season) never link across documents
    join_score: float = 0.6  # mean link score over a cluster's members needed to join it
    weights: tuple[float, float, float, float, float, float] = (0.17, 0.22, 0.17, 0.05, 0.04, 0.35)


@dataclass(frozen=True, slots=True)
class LinkEvent:
    """What linking needs to know about one stored event; built from the record contract."""

    id: str
    doc_id: str
    event_type: str
    start: dt.date
    end: dt.date
    precision: str
    mode: str | None = None
    status: str = "occurred"
    actor1: str | None = None
    actor1_country: str | None = None
    actor1_kind: str | None = None
    actor2: str | None = None
    actor2_country: str | None = None
    actor2_kind: str | None = None
    lat: float | None = None
    lon: float | None = None
    country: str | None = None
    admin1: str | None = None
    geonameid: int | None = None
    geo_precision: str | None = None
    fatalities: tuple[int | None, int | None, int | None] | None = None
    terms: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def from_event(cls, event: Event) -> LinkEvent:
        """The linking view of a record's event: fields, plus the terms of its sentence."""
        loc = event.location
        count = event.fatalities
        figures = None
        if count is not None and not count.cumulative:
            figures = (count.low, count.best, count.high)
        return cls(
            id=event.id,
            doc_id=event.doc_id,
            event_type=event.event_type,
            start=event.date.start,
            end=event.date.end,
            precision=event.date.precision,
            mode=event.mode,
            status=event.status,
            actor1=event.actor1.name if event.actor1 else None,
            actor1_country=event.actor1.country if event.actor1 else None,
            actor1_kind=event.actor1.kind if event.actor1 else None,
            actor2=event.actor2.name if event.actor2 else None,
            actor2_country=event.actor2.country if event.actor2 else None,
            actor2_kind=event.actor2.kind if event.actor2 else None,
            lat=loc.lat if loc else None,
            lon=loc.lon if loc else None,
            country=loc.country if loc else None,
            admin1=loc.admin1 if loc else None,
            geonameid=loc.geonameid if loc else None,
            geo_precision=loc.geo_precision if loc else None,
            fatalities=figures,
            terms=content_terms(event.provenance.sentence),
        )

    @property
    def fine(self) -> bool:
        """Located at a town or a point, with coordinates."""
        return self.geo_precision in _FINE and self.lat is not None and self.lon is not None


def window(event: LinkEvent, settings: LinkSettings) -> tuple[dt.date, dt.date]:
    """The days the event may have happened on, given its date precision."""
    if event.precision == "reported":
        return event.start - dt.timedelta(days=settings.reported_days), event.end
    return event.start, event.end


def km_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _date_score(a: LinkEvent, b: LinkEvent, settings: LinkSettings) -> float | None:
    a0, a1 = window(a, settings)
    b0, b1 = window(b, settings)
    if a0 > b1 or b0 > a1:
        return None
    if (a1 - a0).days > settings.longest_window_days or (
        b1 - b0
    ).days > settings.longest_window_days:
        return None
    if a.precision == "day" and b.precision == "day":
        return 1.0
    overlap = (min(a1, b1) - max(a0, b0)).days + 1
    return overlap / max((a1 - a0).days + 1, (b1 - b0).days + 1)


def _place_score(a: LinkEvent, b: LinkEvent, settings: LinkSettings) -> float | None:
    if a.fine and b.fine:
        if a.geonameid is not None and a.geonameid == b.geonameid:
            return 1.0
        assert a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None
        distance = km_between(a.lat, a.lon, b.lat, b.lon)
        if distance > settings.max_km:
            return None
        return 1.0 - distance / (2 * settings.max_km)
    if a.country is None or b.country is None:
        return 0.4  # one side has no place: no evidence either way
    if a.country != b.country:
        return None
    if a.admin1 and b.admin1 and "country" not in (a.geo_precision, b.geo_precision):
        return 0.6 if a.admin1 == b.admin1 else None
    return 0.4


_STATE = frozenset({"military", "government", "country"})


def _side(kind: str | None) -> str | None:
    """Kinds that can name the same actor: a state's army, government and name are one side."""
    if kind is None or kind == "other":
        return None
    return "state" if kind in _STATE else kind


def _actor_score(
    a: tuple[str | None, str | None, str | None], b: tuple[str | None, str | None, str | None]
) -> float | None:
    """Agreement of one role: same name 1, same country and side 0.7; opposing sides None."""
    (name_a, country_a, kind_a), (name_b, country_b, kind_b) = a, b
    if name_a is None or name_b is None:
        return 0.5
    if name_a == name_b:
        return 1.0
    if country_a is not None and country_b is not None and country_a != country_b:
        return None
    side_a, side_b = _side(kind_a), _side(kind_b)
    if side_a is not None and side_b is not None and side_a != side_b:
        return None  # an army and a militia of one country are two sides, not two names
    return 0.7 if country_a is not None and country_a == country_b else 0.3


def _figures_score(a: LinkEvent, b: LinkEvent) -> float:
    if a.fatalities is None or b.fatalities is None:
        return 0.5
    return 1.0 if figures_agree(a.fatalities, b.fatalities) else 0.0


def figures_agree(
    a: tuple[int | None, int | None, int | None], b: tuple[int | None, int | None, int | None]
) -> bool:
    """Whether two (low, best, high) figures can describe the same toll, qualifiers allowed."""
    lo_a, hi_a = figure_interval(a)
    lo_b, hi_b = figure_interval(b)
    return lo_a <= hi_b and lo_b <= hi_a


def figure_interval(figure: tuple[int | None, int | None, int | None]) -> tuple[float, float]:
    """The range a figure allows: exact numbers are points; qualified ones get a 10 % margin."""
    low, best, high = figure
    base = low if low is not None else best if best is not None else high
    if base is None:
        return 0.0, math.inf
    exact = low is not None and high is not None and low == high
    lo = float(base) if low is not None else 0.8 * base
    hi = float(high) if high is not None else math.inf
    if not exact:
        lo, hi = 0.9 * lo, 1.1 * hi
    return lo, hi


TextSimilarity = Callable[["LinkEvent", "LinkEvent"], float]


def lexical_similarity(a: LinkEvent, b: LinkEvent) -> float:
    """Text evidence in [0, 1]: twice the Ochiai overlap of the sentences' content terms, capped."""
    return min(1.0, 2.0 * term_similarity(a.terms, b.terms))


def link_score(
    a: LinkEvent,
    b: LinkEvent,
    settings: LinkSettings | None = None,
    *,
    similarity: TextSimilarity = lexical_similarity,
) -> float | None:
    """Similarity in [0, 1] of two events from different documents; None when they cannot match."""
    settings = settings or LinkSettings()
    if a.doc_id == b.doc_id or a.event_type != b.event_type:
        return None
    if (a.status in _FUTURE) != (b.status in _FUTURE):
        return None
    date = _date_score(a, b, settings)
    if date is None:
        return None
    place = _place_score(a, b, settings)
    if place is None:
        return None
    actor1 = _actor_score(
        (a.actor1, a.actor1_country, a.actor1_kind), (b.actor1, b.actor1_country, b.actor1_kind)
    )
    if actor1 is None:
        return None
    actor2 = _actor_score(
        (a.actor2, a.actor2_country, a.actor2_kind), (b.actor2, b.actor2_country, b.actor2_kind)
    )
    actors = (actor1 + (actor2 if actor2 is not None else 0.0)) / 2
    mode = 0.5 if a.mode is None or b.mode is None else float(a.mode == b.mode)
    text = similarity(a, b)
    parts = (date, place, actors, mode, _figures_score(a, b), text)
    return round(sum(w * p for w, p in zip(settings.weights, parts, strict=True)), 4)


def block_countries(event: LinkEvent) -> tuple[str | None, ...]:
    """The countries an event is blocked under: its place's, else those of its actors."""
    if event.country is not None:
        return (event.country,)
    actors = tuple(dict.fromkeys(c for c in (event.actor2_country, event.actor1_country) if c))
    return actors or (None,)


def _week(day: dt.date) -> int:
    return day.toordinal() // _WEEK


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return math.floor(lat / GRID_DEGREES), math.floor(lon / GRID_DEGREES)


def block_weeks(event: LinkEvent, settings: LinkSettings) -> range | None:
    """The weeks an event is indexed under; None when its dates are too vague to ever link."""
    start, end = window(event, settings)
    if (end - start).days > settings.longest_window_days:
        return None
    return range(_week(start), _week(end) + 1)


def block_cell(event: LinkEvent) -> tuple[int, int] | None:
    """The 0.5° grid cell of a town-level event; None for coarser or unlocated ones."""
    if not event.fine:
        return None
    assert event.lat is not None and event.lon is not None
    return _cell(event.lat, event.lon)


def max_week_span(settings: LinkSettings) -> int:
    """The most an indexed event's last week can follow its first (bounds a range search)."""
    return settings.longest_window_days // _WEEK + 1


class BlockIndex:
    """Events by (type, week, area): candidates for an event are those sharing a block.

    A town-level event sits in a 0.5° grid cell and is found from the 3 x 3 cells around;
    coarser places (an admin1, a country) are found by their country and find every event in
    it; an unlocated event stands in the countries of its actors, if known.
    """

    def __init__(self, settings: LinkSettings | None = None) -> None:
        self.settings = settings or LinkSettings()
        self._cells: dict[tuple[object, ...], list[str]] = defaultdict(list)
        self._areas: dict[tuple[object, ...], list[str]] = defaultdict(list)
        self._events: dict[str, LinkEvent] = {}

    def __len__(self) -> int:
        return len(self._events)

    def __contains__(self, event_id: object) -> bool:
        return event_id in self._events

    def get(self, event_id: str) -> LinkEvent:
        """The indexed event with this id."""
        return self._events[event_id]

    def _weeks(self, event: LinkEvent) -> range | None:
        return block_weeks(event, self.settings)

    def add(self, event: LinkEvent) -> None:
        """Index an event under each week its date window touches."""
        self._events[event.id] = event
        weeks = self._weeks(event)
        if weeks is None:
            return
        for week in weeks:
            if event.fine:
                assert event.lat is not None and event.lon is not None
                self._cells[(event.event_type, week, *_cell(event.lat, event.lon))].append(event.id)
                self._areas[(event.event_type, week, "in", event.country)].append(event.id)
            else:
                for country in block_countries(event):
                    self._areas[(event.event_type, week, "at", country)].append(event.id)

    def candidates(self, event: LinkEvent) -> list[LinkEvent]:
        """Indexed events that share a block with ``event`` (other documents only), in id order."""
        weeks = self._weeks(event)
        if weeks is None:
            return []
        found: set[str] = set()
        for week in weeks:
            countries = block_countries(event)
            for country in countries:
                found.update(self._areas.get((event.event_type, week, "at", country), ()))
            if event.fine:
                assert event.lat is not None and event.lon is not None
                row, col = _cell(event.lat, event.lon)
                for dr in (-1, 0, 1):
                    for dc in (-1, 0, 1):
                        found.update(
                            self._cells.get((event.event_type, week, row + dr, col + dc), ())
                        )
            else:
                for country in countries:
                    found.update(self._areas.get((event.event_type, week, "in", country), ()))
        found.discard(event.id)
        return [self._events[i] for i in sorted(found) if self._events[i].doc_id != event.doc_id]


def cluster_id_for(event_id: str) -> str:
    """A new cluster's id, derived from the event that founded it (stable across rebuilds)."""
    return hashlib.sha256(f"cluster:{event_id}".encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Assignment:
    """Where an event went: its cluster, whether it founded it, and how many pairs were scored."""

    event_id: str
    cluster_id: str
    founded: bool
    compared: int
    score: float | None = None


def choose_cluster(
    event: LinkEvent,
    scored: Iterable[tuple[str, float]],
    *,
    membership: Mapping[str, str],
    sizes: Mapping[str, int],
    documents: Mapping[str, set[str]],
    settings: LinkSettings,
) -> tuple[str, float] | None:
    """The cluster whose members the event matches best on average, if good enough.

    ``scored`` holds (candidate event id, link score) pairs. Average linkage: members the
    event cannot match count as zero, so one close report does not pull an event into a large
    cluster it otherwise contradicts. A cluster that already holds an event of the same
    document is never joined (the in-document merge kept them apart).
    """
    totals: dict[str, float] = defaultdict(float)
    for candidate_id, score in scored:
        cluster = membership.get(candidate_id)
        if cluster is not None:
            totals[cluster] += score
    best: tuple[str, float] | None = None
    for cluster, total in sorted(totals.items()):
        if event.doc_id in documents.get(cluster, ()):
            continue
        mean = total / max(1, sizes.get(cluster, 1))
        if mean >= settings.join_score and (best is None or mean > best[1]):
            best = (cluster, round(mean, 4))
    return best


class Clusterer:
    """Incremental clustering in memory: add events one at a time; used for rebuilds and bench."""

    def __init__(
        self,
        settings: LinkSettings | None = None,
        *,
        similarity: TextSimilarity = lexical_similarity,
    ) -> None:
        self.settings = settings or LinkSettings()
        self.similarity = similarity
        self.index = BlockIndex(self.settings)
        self.membership: dict[str, str] = {}
        self.members: dict[str, list[str]] = {}
        self.documents: dict[str, set[str]] = {}
        self.compared = 0

    def add(self, event: LinkEvent) -> Assignment:
        """Place one event in the best matching cluster or found a new one."""
        candidates = self.index.candidates(event)
        self.compared += len(candidates)
        scored = [
            (c.id, s)
            for c in candidates
            if (s := link_score(event, c, self.settings, similarity=self.similarity)) is not None
            and s > 0
        ]
        chosen = choose_cluster(
            event,
            scored,
            membership=self.membership,
            sizes=_LazySizes(self.members),
            documents=self.documents,
            settings=self.settings,
        )
        founded = chosen is None
        cluster = cluster_id_for(event.id) if chosen is None else chosen[0]
        self.index.add(event)
        self.membership[event.id] = cluster
        self.members.setdefault(cluster, []).append(event.id)
        self.documents.setdefault(cluster, set()).add(event.doc_id)
        return Assignment(
            event_id=event.id,
            cluster_id=cluster,
            founded=founded,
            compared=len(candidates),
            score=None if chosen is None else chosen[1],
        )

    def add_all(self, events: Iterable[LinkEvent]) -> list[Assignment]:
        """Add events in the canonical order (date, document, id), so a rebuild is deterministic."""
        return [self.add(e) for e in sorted(events, key=canonical_order)]

    def clusters(self) -> dict[str, list[str]]:
        """Cluster id -> member event ids, in the order they joined."""
        return {cluster: list(ids) for cluster, ids in self.members.items()}


class _LazySizes(Mapping[str, int]):
    """Cluster sizes read straight from the member lists (no copy per added event)."""

    def __init__(self, members: Mapping[str, list[str]]) -> None:
        self._members = members

    def __getitem__(self, key: str) -> int:
        return len(self._members[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self._members)

    def __len__(self) -> int:
        return len(self._members)


def canonical_order(event: LinkEvent) -> tuple[dt.date, str, str]:
    """Sort key for rebuilding clusters: earliest date first, then document and event id."""
    return event.start, event.doc_id, event.id


def link_events(records: Sequence[tuple[Event, Document]]) -> dict[str, list[str]]:
    """Cluster a batch of (event, document) pairs in memory: cluster id -> event ids."""
    clusterer = Clusterer()
    clusterer.add_all(LinkEvent.from_event(event) for event, _ in records)
    return clusterer.clusters()
