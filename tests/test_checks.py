"""Direction checks: a claimed compass direction against the bearing between resolved places."""

from __future__ import annotations

import pytest

from dateline.checks import angle_between, bearing, compass, direction_checks
from dateline.models import Place, Span

# Two made-up towns: Upton lies due north of Midford, Eastby due east.
MIDFORD = (10.0, 20.0)
UPTON = (10.2, 20.0)
EASTBY = (10.0, 20.2)


def _place(text: str, start: int, point: tuple[float, float], gid: int) -> Place:
    return Place(
        text=text, span=Span(start=start, end=start + len(text)), name=text,
        lat=point[0], lon=point[1], geonameid=gid, geo_precision="town",
    )  # fmt: skip


def _places(text: str, names: dict[str, tuple[tuple[float, float], int]]) -> list[Place]:
    found = []
    for name, (point, gid) in names.items():
        start = text.find(name)
        while start >= 0:
            found.append(_place(name, start, point, gid))
            start = text.find(name, start + 1)
    return sorted(found, key=lambda p: p.span.start)


def test_bearing_and_compass() -> None:
    assert compass(bearing(*MIDFORD, *UPTON)) == "north"
    assert compass(bearing(*MIDFORD, *EASTBY)) == "east"
    assert angle_between(350, 10) == pytest.approx(20)


def test_consistent_phrase_gives_no_check() -> None:
    text = "Fighting reached Upton, 20 km north of Midford, on Monday."
    places = _places(text, {"Upton": (UPTON, 2), "Midford": (MIDFORD, 1)})
    assert direction_checks(text, places) == []


def test_contradicting_phrase_is_reported() -> None:
    text = "Fighting reached Eastby, 20 km west of Midford, on Monday."
    places = _places(text, {"Eastby": (EASTBY, 3), "Midford": (MIDFORD, 1)})
    (check,) = direction_checks(text, places)
    assert check.kind == "direction_contradiction"
    assert "east of" in check.message or "lies east" in check.message
    assert text[check.spans[1].span.start : check.spans[1].span.end] == "Eastby"


def test_table_rows_are_checked_against_the_focus_town() -> None:
    text = (
        "Troops around Midford\n\nMidford is besieged. Midford is cut off.\n\n"
        "Direction Location\nNorth Near Upton town\nWest Road near Eastby town\n"
    )
    places = _places(text, {"Midford": (MIDFORD, 1), "Upton": (UPTON, 2), "Eastby": (EASTBY, 3)})
    checks = direction_checks(text, places)
    assert len(checks) == 1
    assert "Eastby" in checks[0].message and "west" in checks[0].message


def test_sub_place_at_its_host_point_gives_no_check() -> None:
    text = (
        "Troops around Midford\n\nMidford is besieged. Midford is cut off.\n\n"
        "Direction Location\nEast Edge of Midford camp\n"
    )
    places = _places(text, {"Midford": (MIDFORD, 1)})
    camp_start = text.index("Midford camp")
    places = [p for p in places if p.span.start != camp_start]
    places.append(_place("Midford camp", camp_start, MIDFORD, 9))
    assert direction_checks(text, sorted(places, key=lambda p: p.span.start)) == []


def test_table_row_naming_a_sub_place_with_its_own_point_is_checked() -> None:
    text = (
        "Troops around Midford\n\nMidford is besieged. Midford is cut off.\n\n"
        "Direction Location\nEast Edge of Midford camp\n"
    )
    west_of_midford = (10.0, 19.9)
    places = _places(text, {"Midford": (MIDFORD, 1)})
    camp_start = text.index("Midford camp")
    places = [p for p in places if p.span.start != camp_start]
    places.append(_place("Midford camp", camp_start, west_of_midford, 9))
    (check,) = direction_checks(text, sorted(places, key=lambda p: p.span.start))
    assert "Midford camp east of" in check.message and "lies west" in check.message


def test_claimed_distance_far_from_the_map_is_reported() -> None:
    text = "Fighting reached Upton, 80 km north of Midford, on Monday."
    places = _places(text, {"Upton": (UPTON, 2), "Midford": (MIDFORD, 1)})
    (check,) = direction_checks(text, places)
    assert check.kind == "distance_contradiction" and "22 km apart" in check.message


def test_claimed_distance_in_miles_close_to_the_map_gives_no_check() -> None:
    text = "Fighting reached Upton, 14 miles north of Midford, on Monday."
    places = _places(text, {"Upton": (UPTON, 2), "Midford": (MIDFORD, 1)})
    assert direction_checks(text, places) == []
