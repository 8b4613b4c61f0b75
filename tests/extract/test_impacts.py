"""Impacts: damage, displacement, arrests and captures with counts, and outages."""

from __future__ import annotations

from typing import Any

import pytest

from dateline.extract.impacts import find_impacts


def _impacts(nlp: Any, text: str) -> list[tuple[str, str, int | None, str | None]]:
    doc = nlp(text)
    found = [i for sent in doc.sents for i in find_impacts(sent)]
    for impact in found:
        assert doc.text[impact.span.start : impact.span.end] == impact.text
    return [(i.text, i.kind, i.count, i.effect) for i in found]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "At least four apartment buildings and a bakery collapsed after the strike.",
            [("At least four apartment buildings", "building", 4, "collapsed")],
        ),
        (
            "Airstrikes destroyed dozens of homes in the village.",
            [("dozens of homes", "home", 12, "destroyed")],
        ),
        (
            "Militia fighters burned 20 houses in Bree.",
            [("20 houses", "home", 20, "burned")],
        ),
        (
            "A school and two mosques were damaged in the blast.",
            [
                ("A school", "school", 1, "damaged"),
                ("two mosques", "place of worship", 2, "damaged"),
            ],
        ),
        (
            "Shelling has damaged or destroyed nearly all health facilities in the city.",
            [("nearly all health facilities", "health facility", None, "damaged or destroyed")],
        ),
    ],
)
def test_damage_with_counts(nlp: Any, text: str, expected: list[Any]) -> None:
    assert _impacts(nlp, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Police arrested 40 protesters in the capital.",
            ("40 protesters", "protesters", 40, "arrested"),
        ),
        (
            "Dozens of people were detained after the rally.",
            ("Dozens of people", "people", 12, "arrested"),
        ),
        (
            "The fighting has displaced more than 10,000 people.",
            ("more than 10,000 people", "people", 10000, "displaced"),
        ),
        (
            "Some 5,000 families fled the district.",
            ("Some 5,000 families", "families", 5000, "displaced"),
        ),
        (
            "Orcs demanded the return of two soldiers captured during a raid.",
            ("two soldiers", "soldiers", 2, "captured"),
        ),
        (
            "Gunmen kidnapped three aid workers near Bree.",
            ("three aid workers", "aid workers", 3, "abducted"),
        ),
    ],
)
def test_people_displaced_arrested_captured(nlp: Any, text: str, expected: Any) -> None:
    assert _impacts(nlp, text) == [expected]


def test_facility_out_of_service(nlp: Any) -> None:
    assert _impacts(nlp, "The main hospital in Bree is out of service.") == [
        ("main hospital", "hospital", None, "out of service")
    ]


def test_services_knocked_out(nlp: Any) -> None:
    found = _impacts(nlp, "Power and water in most of the town were knocked out.")
    assert [(kind, effect) for _, kind, _, effect in found] == [
        ("power", "out of service"),
        ("water", "out of service"),
    ]


def test_no_impact_without_damage_or_people(nlp: Any) -> None:
    assert _impacts(nlp, "The army deployed 300 tanks near the border.") == []
    assert _impacts(nlp, "Water is scarce in the town.") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The last working clinic, the Al Amal Clinic in northern Goma, is overwhelmed with "
            "hundreds of injured people.",
            {("hospital", "overwhelmed")},
        ),
        (
            "Doctors say they have less than two days of fuel, medicine and food left.",
            {("fuel", "running out"), ("medicine", "running out"), ("food", "running out")},
        ),
        (
            "Families are living without water or electricity.",
            {("water", "lacking"), ("electricity", "lacking")},
        ),
        ("The overcrowded shelter took in more families.", {("shelter", "overcrowded")}),
        ("The army came without warning and fuel prices rose.", set()),
    ],
)
def test_strained_facilities_and_supplies_running_out(
    nlp: Any, text: str, expected: set[tuple[str, str]]
) -> None:
    found = {(kind, effect) for _, kind, _, effect in _impacts(nlp, text) if effect is not None}
    strained = {
        pair
        for pair in found
        if pair[1] in ("overwhelmed", "overcrowded", "running out", "lacking")
    }
    assert strained == expected
