"""The wider trigger vocabulary: each family yields its PLOVER type, and the filter keeps it."""

from __future__ import annotations

from typing import Any

import pytest

from dateline.batch.relevance import default_filter


@pytest.mark.parametrize(
    ("text", "event_type"),
    [
        ("Rebel fighters took over two villages near Bree on Tuesday.", "ASSAULT"),
        ("The militia gained ground north of Bree last week.", "ASSAULT"),
        ("Guards abused the detainees at the camp outside Bree.", "ASSAULT"),
        ("Police took the organiser into custody in Bree.", "COERCE"),
        ("Dock workers walked out over unpaid wages.", "PROTEST"),
        ("Arnor closed its embassy in Gondor on Friday.", "SANCTION"),
        ("Gondor contributed two million crowns to the relief fund.", "AID"),
        ("Prosecutors indicted the former governor on Monday.", "ACCUSE"),
        ("The two kingdoms ratified the border pact in Bree.", "AGREE"),
        ("The governor of Bree stepped down after the vote.", "RETREAT"),
        ("Gunmen murdered three farmers outside Bree on Sunday.", "ASSAULT"),
        ("The murder of two aid workers in Bree shocked the town.", "ASSAULT"),
    ],
)
def test_new_families_yield_their_type(mentions_of: Any, text: str, event_type: str) -> None:
    types = {m.rule.event_type for m in mentions_of(text)}
    assert types == {event_type}, text
    assert default_filter()(text)


def test_taking_ground_is_an_acled_territorial_event(mentions_of: Any) -> None:
    (m,) = mentions_of("Insurgents took over the district capital on Sunday.")
    assert m.rule.acled_event_type == "Battles"
    assert m.rule.acled_sub_event_type is not None
    assert "territory" in m.rule.acled_sub_event_type


def test_closing_a_shop_or_a_factory_is_no_event(mentions_of: Any) -> None:
    assert mentions_of("The owners closed the bakery early on Sunday.") == []


@pytest.mark.parametrize(
    ("text", "event_type"),
    [
        ("Arnorian jets struck a fuel depot outside Bree on Tuesday.", "ASSAULT"),
        ("The bridge at Bree was struck by two drones overnight.", "ASSAULT"),
        ("Dock workers struck for a week over unpaid wages.", "PROTEST"),
        ("Teachers in Bree went on strike on Monday.", "PROTEST"),
        ("The two factions struck a deal in Bree on Monday.", "AGREE"),
    ],
)
def test_the_verb_strike_takes_its_sense_from_its_object(
    mentions_of: Any, text: str, event_type: str
) -> None:
    types = {m.rule.event_type for m in mentions_of(text)}
    assert types == {event_type}, text
    assert default_filter()(text)


def test_a_natural_hazard_striking_is_no_event(mentions_of: Any) -> None:
    assert mentions_of("A strong earthquake struck the hills east of Bree on Monday.") == []
    assert mentions_of("The valley was struck by floods in March.") == []


def test_a_month_is_not_a_march(mentions_of: Any) -> None:
    assert mentions_of("The bridge at Bree was repaired in March.") == []
    assert {m.rule.event_type for m in mentions_of("Students will march in Bree.")} == {"PROTEST"}


@pytest.mark.parametrize(
    ("text", "mode"),
    [
        ("Arnorian missiles struck a fuel depot outside Bree.", "heavy-weapons"),
        ("Arnorian mortars struck the market in Bree.", "heavy-weapons"),
        ("Arnorian jets struck a fuel depot outside Bree.", "aerial"),
    ],
)
def test_the_weapon_that_strikes_names_the_kind_of_attack(
    mentions_of: Any, text: str, mode: str
) -> None:
    (mention,) = mentions_of(text)
    assert (mention.rule.event_type, mention.rule.mode) == ("ASSAULT", mode)
