"""Toponym resolution: country hints, nearby places and population choose among namesakes."""

from __future__ import annotations

from dateline.resolve.gazetteer import GazetteerEntry, MemoryGazetteer
from dateline.resolve.places import PlaceMention, clean_mention, resolve_places


def _e(
    gid: int, name: str, country: str, lat: float, lon: float, pop: int, feature: str = "city"
) -> GazetteerEntry:
    return GazetteerEntry(gid, name, lat, lon, country, None, pop, feature)  # type: ignore[arg-type]


GAZ = MemoryGazetteer(
    [
        (_e(1, "Paris", "FRA", 48.85, 2.35, 2_000_000), []),
        (_e(2, "Paris", "USA", 33.66, -95.55, 25_000), []),
        (_e(3, "Dallas", "USA", 32.78, -96.80, 1_300_000), []),
        (_e(4, "France", "FRA", 48.85, 2.35, 67_000_000, "country"), []),
    ]
)


def _m(text: str, start: int = 0) -> PlaceMention:
    return PlaceMention(text, start, start + len(text), "GPE")


def test_population_decides_without_other_evidence() -> None:
    (place,) = resolve_places([_m("Paris")], GAZ)
    assert place is not None and place.country == "FRA" and place.geo_precision == "town"


def test_country_hint_decides() -> None:
    (place,) = resolve_places([_m("Paris")], GAZ, country_hints=["USA"])
    assert place is not None and place.geonameid == 2


def test_nearby_place_decides() -> None:
    paris, dallas = resolve_places([_m("Paris"), _m("Dallas", 20)], GAZ)
    assert paris is not None and paris.geonameid == 2
    assert dallas is not None and dallas.geonameid == 3


def test_country_names_and_unknowns() -> None:
    france, nowhere = resolve_places([_m("France's"), _m("Nowhere", 10)], GAZ)
    assert france is not None and france.geo_precision == "country" and france.text == "France's"
    assert nowhere is None


def test_clean_mention() -> None:
    assert clean_mention("the Gaza Strip’s") == "Gaza Strip"
