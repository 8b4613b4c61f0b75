"""Toponym resolution: country hints, nearby places and population choose among namesakes."""

from __future__ import annotations

from dateline.resolve.gazetteer import GazetteerEntry, MemoryGazetteer
from dateline.resolve.places import PlaceMention, clean_mention, resolve_places, sub_place


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


def _ea(
    gid: int, name: str, country: str, admin1: str, lat: float, lon: float, pop: int,
    feature: str = "city",
) -> GazetteerEntry:  # fmt: skip
    return GazetteerEntry(gid, name, lat, lon, country, admin1, pop, feature)  # type: ignore[arg-type]


STATES = MemoryGazetteer(
    [
        (_ea(10, "Alexandria", "EGY", "06", 31.2, 29.9, 5_000_000), []),
        (_ea(11, "Alexandria", "USA", "VA", 38.8, -77.0, 150_000), []),
        (_ea(12, "Alexandria", "USA", "LA", 31.3, -92.4, 48_000), []),
        (_ea(13, "Louisiana", "USA", "LA", 31.0, -92.0, 4_000_000, "admin1"), ["La."]),
        (_ea(14, "Pineville", "USA", "LA", 31.32, -92.43, 14_000), []),
        (_ea(15, "Mashhad", "IRN", "42", 36.3, 59.6, 2_300_000), ["Alexandria"]),
        (_ea(-16, "Rapides Parish", "USA", "LA", 31.0, -92.0, 0, "admin2"), []),
        (_ea(17, "Minas", "GON", "01", 10.0, 10.0, 600_000, "capital"), []),
        (_ea(18, "Minas", "GON", "02", 12.0, 12.0, 3_000_000, "admin1"), []),
    ]
)


def test_population_picks_the_famous_namesake_alone() -> None:
    (place,) = resolve_places([_m("Alexandria")], STATES)
    assert place is not None and place.country == "EGY"


def test_state_after_the_name_decides() -> None:
    town, state = resolve_places([_m("Alexandria"), _m("La.", len("Alexandria, "))], STATES)
    assert town is not None and town.geonameid == 12
    assert state is not None and state.name == "Louisiana" and state.geo_precision == "admin1"


def test_the_states_of_other_names_decide() -> None:
    text = "Alexandria police said a man from Pineville and one from Louisiana"
    mentions = [_m(name, text.index(name)) for name in ("Alexandria", "Pineville", "Louisiana")]
    alexandria, _, _ = resolve_places(mentions, STATES)
    assert alexandria is not None and alexandria.geonameid == 12


def test_an_alternate_name_alone_loses_to_a_main_name() -> None:
    matches = STATES.lookup("Alexandria")
    assert [e.geonameid for e in matches if e.alternate] == [15]
    (place,) = resolve_places([_m("Alexandria")], STATES)
    assert place is not None and place.geonameid != 15


def test_a_county_is_placed_at_its_state_with_admin1_precision() -> None:
    (county,) = resolve_places([_m("Rapides Parish")], STATES)
    assert county is not None and county.geo_precision == "admin1" and county.geonameid is None


def test_sub_place_keeps_its_host_point_and_precision() -> None:
    (host,) = resolve_places([_m("Pineville")], STATES)
    assert host is not None
    camp = sub_place("Pineville camp", 0, host)
    assert (camp.lat, camp.lon, camp.geo_precision) == (host.lat, host.lon, "town")
    assert camp.name == "Pineville camp, Pineville" and camp.span.end == len("Pineville camp")


def test_a_capital_beats_the_namesake_state_without_other_evidence() -> None:
    (place,) = resolve_places([_m("Minas")], STATES)
    assert place is not None and place.geonameid == 17 and place.geo_precision == "town"


def test_a_territory_keeps_its_name_among_its_own_towns() -> None:
    gaz = MemoryGazetteer(
        [
            (_ea(30, "Anorien", "GON", "AN", 31.42, 34.37, 2_000_000, "admin1"), []),
            (_ea(31, "Anorien", "GON", "AN", 31.50, 34.46, 400_000), []),
            (_ea(32, "Amon Din", "GON", "AN", 31.34, 34.30, 170_000), []),
            (_ea(33, "Eilenach", "GON", "AN", 31.30, 34.36, 9_000), []),
        ]
    )
    text = "Raids on Amon Din and Eilenach; the siege of Anorien goes on."
    names = ("Amon Din", "Eilenach", "Anorien")
    *_, territory = resolve_places([_m(n, text.index(n)) for n in names], gaz)
    assert territory is not None and territory.geonameid == 30
