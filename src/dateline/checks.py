"""Consistency findings a reader must see: directions that contradict the map.

A text that says "north: near Khuza'a" of a city that Khuza'a lies south-east of is either
wrong or means something else; either way an analyst should look before mapping it.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

from dateline.models import Check, Place, Span, Spanned

# Compass bearings in degrees, clockwise from north.
BEARINGS = {
    "north": 0.0, "north-east": 45.0, "northeast": 45.0, "east": 90.0, "south-east": 135.0,
    "southeast": 135.0, "south": 180.0, "south-west": 225.0, "southwest": 225.0, "west": 270.0,
    "north-west": 315.0, "northwest": 315.0,
}  # fmt: skip
TOLERANCE_DEGREES = 45.0
# A claimed distance is contradicted when the map differs by more than this share of the
# claim and by more than the slack (town points are centres, not the spot that is meant).
DISTANCE_TOLERANCE = 0.5
DISTANCE_SLACK_KM = 10.0
_DIRECTION = "|".join(sorted((re.escape(d) for d in BEARINGS), key=len, reverse=True))
# "12 km north of X", "north of X", "just south-east of X"
_OF_PHRASE = re.compile(
    rf"(?:(?P<dist>\d+(?:\.\d+)?)\s*(?P<unit>km|kilometres|kilometers|miles)\s+)?(?P<dir>{_DIRECTION})\s+of\s+",
    re.I,
)
# A line that starts with a direction: a row of a "Direction / Location" table.
_ROW = re.compile(rf"^(?P<dir>{_DIRECTION})\b[\s:–—-]*", re.I | re.M)


def bearing(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Initial great-circle bearing from point 1 to point 2, degrees clockwise from north."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dl = math.radians(lon2 - lon1)
    x = math.sin(dl) * math.cos(p2)
    y = math.cos(p1) * math.sin(p2) - math.sin(p1) * math.cos(p2) * math.cos(dl)
    return (math.degrees(math.atan2(x, y)) + 360.0) % 360.0


def angle_between(a: float, b: float) -> float:
    """Smallest difference between two bearings, 0..180 degrees."""
    diff = abs(a - b) % 360.0
    return min(diff, 360.0 - diff)


def compass(degrees: float) -> str:
    """The eight-point compass name of a bearing."""
    names = [
        "north",
        "north-east",
        "east",
        "south-east",
        "south",
        "south-west",
        "west",
        "north-west",
    ]
    return names[int(((degrees + 22.5) % 360) // 45)]


def _located(places: Sequence[Place]) -> list[Place]:
    return [p for p in places if p.lat is not None and p.lon is not None]


def focus_place(places: Sequence[Place]) -> Place | None:
    """The town the article is about: the most often mentioned town-level place."""
    towns = [p for p in _located(places) if p.geo_precision in ("town", "point")]
    if not towns:
        return None
    counts = Counter(p.geonameid or p.name for p in towns)
    best = max(counts.values())
    return next(p for p in towns if counts[p.geonameid or p.name] == best)


def _place_after(places: Sequence[Place], start: int, end: int) -> Place | None:
    """The first town-level place in a range; a country named on the way is not the claim."""
    inside = [p for p in _located(places) if start <= p.span.start < end]
    towns = [p for p in inside if p.geo_precision in ("town", "point")]
    chosen = towns or inside
    return chosen[0] if chosen else None


def direction_checks(text: str, places: Sequence[Place]) -> list[Check]:
    """Checks for claimed directions that differ from the map by more than 45 degrees."""
    checks: list[Check] = []
    located = _located(places)
    for match in _OF_PHRASE.finditer(text):
        anchor = _place_after(located, match.end(), match.end() + 60)
        before = [p for p in located if match.start() - 120 <= p.span.end <= match.start()]
        if anchor is None or not before:
            continue
        subject = before[-1]
        check = _compare(match.group("dir"), subject, anchor, match.start(), match.end(), text)
        if check is not None:
            checks.append(check)
        if match.group("dist"):
            claimed_km = float(match.group("dist")) * (
                1.609 if match.group("unit") == "miles" else 1
            )
            check = _compare_distance(claimed_km, subject, anchor, match.start(), match.end(), text)
            if check is not None:
                checks.append(check)
    focus = focus_place(places)
    if focus is not None:
        for match in _ROW.finditer(text):
            line_end = text.find("\n", match.end())
            line_end = len(text) if line_end < 0 else line_end
            in_row = _place_after(located, match.end(), line_end)
            if in_row is None or in_row.geonameid == focus.geonameid:
                continue
            check = _compare(match.group("dir"), in_row, focus, match.start(), line_end, text)
            if check is not None:
                checks.append(check)
    return checks


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


def _compare_distance(
    claimed_km: float, subject: Place, anchor: Place, start: int, end: int, text: str
) -> Check | None:
    assert subject.lat is not None and subject.lon is not None
    assert anchor.lat is not None and anchor.lon is not None
    actual = distance_km(anchor.lat, anchor.lon, subject.lat, subject.lon)
    off = abs(actual - claimed_km)
    if off <= DISTANCE_SLACK_KM or off <= DISTANCE_TOLERANCE * claimed_km:
        return None
    return Check(
        kind="distance_contradiction",
        message=(
            f"the text puts {subject.text} {claimed_km:g} km from {anchor.name or anchor.text}, "
            f"but on the map they are {actual:.0f} km apart"
        ),
        spans=[
            Spanned(text=text[start:end], span=Span(start=start, end=end)),
            Spanned(text=subject.text, span=subject.span),
        ],
    )


def _compare(
    claimed: str, subject: Place, anchor: Place, start: int, end: int, text: str
) -> Check | None:
    assert subject.lat is not None and subject.lon is not None
    assert anchor.lat is not None and anchor.lon is not None
    if (subject.lat, subject.lon) == (anchor.lat, anchor.lon):
        return None  # a sub-place known only to its host town: no bearing to compare
    actual = bearing(anchor.lat, anchor.lon, subject.lat, subject.lon)
    expected = BEARINGS[claimed.lower()]
    off = angle_between(actual, expected)
    if off <= TOLERANCE_DEGREES:
        return None
    return Check(
        kind="direction_contradiction",
        message=(
            f"the text puts {subject.text} {claimed.lower()} of {anchor.name or anchor.text}, "
            f"but on the map it lies {compass(actual)} of it (bearing {actual:.0f}°, "
            f"{off:.0f}° from the claim)"
        ),
        spans=[
            Spanned(text=text[start:end], span=Span(start=start, end=end)),
            Spanned(text=subject.text, span=subject.span),
        ],
    )
