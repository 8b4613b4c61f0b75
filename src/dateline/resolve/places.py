"""Toponym resolution: choosing among same-named places with the rest of the article.

Mordecai-style evidence without a search server: a qualifier right after the name
("Alexandria, La."), the countries and states the article names or its actors belong to,
proximity to the other places resolved in it, and population. Two passes: a first choice
from the name's own evidence, then a second one in the context of the first choices.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from dateline.models import GeoPrecision, Place, Span
from dateline.resolve.gazetteer import Gazetteer, GazetteerEntry, normalize_name

# Weights set by hand on the canonical article and checked on the lgl set (``make eval``).
COUNTRY_HINT_WEIGHT = 3.0  # the article's countries: names, actors, other places
ADMIN1_HINT_WEIGHT = 3.0  # the states or provinces of the article's other names
QUALIFIER_WEIGHT = 10.0  # "Alexandria, La.": the next name contains this one
NEARBY_WEIGHT = 2.0
NEARBY_KM = 150.0
MAX_NEARBY_SUPPORT = 2  # names with a reading within NEARBY_KM that count
NEIGHBOUR_READINGS = 8  # readings of each other name considered, by population
_NEARBY_DEGREES = NEARBY_KM / 111.0  # a cheap latitude test before the great circle
# Readings that nearby names support: towns, sub-places and territories ("Gaza" among its towns).
_LOCAL = frozenset({"city", "capital", "facility", "alias", "admin1"})
ALTERNATE_PENALTY = 3.0  # only a GeoNames alternate name matched ("Alexandria" for Mashhad)
AREA_BONUS = 2.5  # a name that is a country or state means that, not a namesake town
CAPITAL_BONUS = 4.0  # "Washington", "Moscow", "London": the capital unless the text says else
PROJECT_BONUS = 12.0  # the project's or the user's own entries (camps, hospitals, territories)
USER_BONUS = 30.0
QUALIFIER_GAP = 2  # characters between "Alexandria" and "La.": ", "
_PRECISION: dict[str, GeoPrecision] = {
    "country": "country",
    "admin1": "admin1",
    "admin2": "admin1",  # a county sits at its state's point
    "capital": "town",
    "city": "town",
    "alias": "point",
    "facility": "point",
}


@dataclass(frozen=True)
class PlaceMention:
    """A place name in the text, as found by NER or by a cue word ("X town")."""

    text: str
    start: int
    end: int
    label: str


@dataclass(frozen=True)
class _Context:
    """What the other names of the article say: each distinct name counts once, never its own."""

    countries: Counter[str]
    admin1s: Counter[tuple[str, str]]
    # Every other name's likeliest local readings: a reading near one of them is supported.
    neighbours: tuple[tuple[GazetteerEntry, ...], ...]

    def without(
        self, key: str, own: GazetteerEntry | None, readings: dict[str, tuple[GazetteerEntry, ...]]
    ) -> _Context:
        countries = self.countries.copy()
        admin1s = self.admin1s.copy()
        if own is not None:
            countries[own.country] -= 1
            admin1s[(own.country, own.admin1 or "")] -= 1
        return _Context(
            countries=+countries,
            admin1s=+admin1s,
            neighbours=tuple(v for k, v in readings.items() if k != key),
        )


def clean_mention(text: str) -> str:
    """Strip a possessive and a leading article: "the Gaza Strip's" -> "Gaza Strip"."""
    cleaned = text.strip()
    for suffix in ("'s", "’s", "'", "’"):
        if cleaned.endswith(suffix):
            cleaned = cleaned[: -len(suffix)]
    if cleaned.lower().startswith("the "):
        cleaned = cleaned[4:]
    return cleaned.strip()


def distance_km(a: GazetteerEntry, b: GazetteerEntry) -> float:
    """Great-circle distance between two gazetteer points."""
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


def _prior(entry: GazetteerEntry) -> float:
    score = math.log10(entry.population + 10)
    if entry.feature in ("country", "admin1"):
        score += AREA_BONUS
    elif entry.feature == "capital":
        score += CAPITAL_BONUS
    elif entry.feature in ("alias", "facility"):
        score += PROJECT_BONUS
    if entry.alternate:
        score -= ALTERNATE_PENALTY
    return score + USER_BONUS * entry.priority


def _contains(area: GazetteerEntry, entry: GazetteerEntry) -> bool:
    if area.geonameid == entry.geonameid or area.country != entry.country:
        return False
    if area.feature == "country":
        return True
    return area.feature == "admin1" and area.admin1 is not None and area.admin1 == entry.admin1


def _score(
    entry: GazetteerEntry, qualifier: Sequence[GazetteerEntry], context: _Context | None
) -> float:
    score = _prior(entry)
    if any(_contains(area, entry) for area in qualifier):
        score += QUALIFIER_WEIGHT
    if context is None:
        return score
    total = sum(context.countries.values())
    if total and entry.feature != "country":
        score += COUNTRY_HINT_WEIGHT * context.countries[entry.country] / total
    in_country = sum(n for (country, _), n in context.admin1s.items() if country == entry.country)
    if in_country and entry.feature not in ("country", "admin1") and entry.admin1 is not None:
        share = context.admin1s[(entry.country, entry.admin1)] / in_country
        score += ADMIN1_HINT_WEIGHT * share
    if entry.feature in _LOCAL:
        support = sum(
            any(
                abs(n.lat - entry.lat) < _NEARBY_DEGREES and distance_km(n, entry) < NEARBY_KM
                for n in readings
            )
            for readings in context.neighbours
        )
        score += NEARBY_WEIGHT * min(support, MAX_NEARBY_SUPPORT)
    return score


def _qualifiers(
    mentions: Sequence[PlaceMention], candidates: Sequence[list[GazetteerEntry]]
) -> list[list[GazetteerEntry]]:
    """For each mention, the areas named right after it ("Alexandria, La.")."""
    found: list[list[GazetteerEntry]] = []
    for index, mention in enumerate(mentions):
        following = mentions[index + 1] if index + 1 < len(mentions) else None
        if following is None or not 0 < following.start - mention.end <= QUALIFIER_GAP:
            found.append([])
            continue
        found.append([e for e in candidates[index + 1] if e.feature in ("country", "admin1")])
    return found


def _choose(
    options: Sequence[GazetteerEntry], qualifier: Sequence[GazetteerEntry], context: _Context | None
) -> GazetteerEntry | None:
    if not options:
        return None
    return max(options, key=lambda e: (_score(e, qualifier, context), -e.geonameid))


def resolve_places(
    mentions: Sequence[PlaceMention],
    gazetteer: Gazetteer,
    *,
    country_hints: Sequence[str] = (),
) -> list[Place | None]:
    """Resolve mentions together; the result is aligned with ``mentions`` (None: not found)."""
    keys = [normalize_name(clean_mention(m.text)) for m in mentions]
    candidates = [gazetteer.lookup(clean_mention(m.text)) for m in mentions]
    qualifiers = _qualifiers(mentions, candidates)
    first = [_choose(o, q, None) for o, q in zip(candidates, qualifiers, strict=True)]
    # One vote per distinct name: its first choice when unqualified, the qualified one if any.
    by_key: dict[str, GazetteerEntry] = {}
    for key, entry, qualifier in zip(keys, first, qualifiers, strict=True):
        if entry is not None and (key not in by_key or qualifier):
            by_key[key] = entry
    countries: Counter[str] = Counter({c: 2 for c in country_hints})
    countries.update(e.country for e in by_key.values())
    context = _Context(
        countries=countries,
        # The states of the other names: named states, and those of their towns and counties.
        admin1s=Counter(
            (e.country, e.admin1) for e in by_key.values() if e.feature != "country" and e.admin1
        ),
        neighbours=(),
    )
    readings: dict[str, tuple[GazetteerEntry, ...]] = {}
    for key, options in zip(keys, candidates, strict=True):
        local = [e for e in options if e.feature in _LOCAL and not e.alternate]
        readings[key] = tuple(sorted(local, key=lambda e: -e.population)[:NEIGHBOUR_READINGS])
    chosen = [
        _choose(o, q, context.without(k, by_key.get(k), readings))
        for o, q, k in zip(candidates, qualifiers, keys, strict=True)
    ]
    return [
        _place(mention, entry) if entry is not None else None
        for mention, entry in zip(mentions, chosen, strict=True)
    ]


def _place(mention: PlaceMention, entry: GazetteerEntry) -> Place:
    return Place(
        text=mention.text,
        span=Span(start=mention.start, end=mention.end),
        name=entry.name,
        lat=round(entry.lat, 5),
        lon=round(entry.lon, 5),
        country=entry.country,
        admin1=entry.admin1,
        geonameid=entry.geonameid if entry.geonameid > 0 else None,
        geo_precision=_PRECISION[entry.feature],
    )


def sub_place(text: str, start: int, host: Place) -> Place:
    """A named sub-place the gazetteer lacks, placed at its host with the host's precision:
    "Nasser Medical Complex in central Khan Younis" is known to the town, not the point."""
    return Place(
        text=text,
        span=Span(start=start, end=start + len(text)),
        name=f"{text}, {host.name}",
        lat=host.lat,
        lon=host.lon,
        country=host.country,
        admin1=host.admin1,
        geonameid=None,
        geo_precision=host.geo_precision,
    )
