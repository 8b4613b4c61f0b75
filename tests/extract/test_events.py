"""Event mentions: triggers to types, roles from the tree, status, attribution, suppression."""

from __future__ import annotations

from typing import Any

import pytest

from dateline.extract.ontology import event_type_definitions, trigger_rules
from dateline.extract.status import find_quotes


def test_every_trigger_row_names_a_plover_type() -> None:
    plover = set(event_type_definitions())
    assert len(plover) == 16
    rules = trigger_rules()
    assert len(rules) > 100
    assert {r.event_type for r in rules} <= plover
    assert all(0 < r.strength <= 1 for r in rules)


def test_airstrike_nominalisation_gives_type_mode_and_initiator(mentions_of: Any) -> None:
    (m,) = mentions_of("Russian airstrikes hit the town of Bree on Monday.")
    assert (m.rule.event_type, m.rule.mode) == ("ASSAULT", "aerial")
    assert m.rule.acled_sub_event_type == "Air/drone strike"
    assert m.actor1 is not None and m.actor1.country == "RUS" and m.actor1.kind == "military"


def test_passive_voice_sets_target_and_agent(mentions_of: Any) -> None:
    (m,) = mentions_of("Three journalists were arrested by police in Minas Tirith.")
    assert m.rule.event_type == "COERCE" and m.rule.mode == "arrest"
    assert m.actor2 is not None and m.actor2.kind == "media"
    assert m.actor1 is not None and m.actor1.name == "Police"


def test_active_voice_sets_initiator_and_target(mentions_of: Any) -> None:
    (m,) = mentions_of("Hamas fighters abducted two Israeli soldiers near the border.")
    assert m.rule.mode == "abduct"
    assert m.actor1 is not None and m.actor1.name == "Hamas"
    assert m.actor2 is not None and m.actor2.country == "ISR"


def test_requested_action_is_not_an_event_of_its_own(mentions_of: Any) -> None:
    found = mentions_of("The United Nations urged Gondor to halt the bombing of Osgiliath.")
    assert [m.rule.event_type for m in found] == ["REQUEST"]
    assert found[0].actor1 is not None and found[0].actor1.kind == "international_organization"


def test_generic_statement_is_not_an_event(mentions_of: Any) -> None:
    assert mentions_of("Analysts fear the cycle of rocket attacks will never end.") == []


def test_conditional_is_not_an_event(mentions_of: Any) -> None:
    found = mentions_of("The rebels threatened reprisals if the prisoners are not released.")
    assert [m.rule.event_type for m in found] == ["THREATEN"]


def test_negated_future_is_not_occurred(mentions_of: Any) -> None:
    (m,) = mentions_of("Officials said the hostages would not be released.")
    assert m.rule.event_type == "RETREAT" and m.status in ("denied", "expected")


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Gondor will launch an offensive on Osgiliath next week.", "expected"),
        ("Clearance operations are expected, and airstrikes are expected too.", "expected"),
        ("The army did not shell the village.", "denied"),
        ("Fighting is ongoing in the north of Arnor.", "ongoing"),
        ("Soldiers shelled the village on Monday.", "occurred"),
    ],
)
def test_status_from_modality_negation_and_aspect(mentions_of: Any, text: str, status: str) -> None:
    found = mentions_of(text)
    assert found, text
    assert found[0].status == status


def test_reported_speech_attributes_the_claim(mentions_of: Any) -> None:
    (m,) = mentions_of("Rebel commanders insist their fighters shelled the airport.")
    assert m.source.name != "reporter"
    assert m.source.text is not None and "commanders" in m.source.text


def test_reporter_is_the_default_source(mentions_of: Any) -> None:
    (m,) = mentions_of("Soldiers shelled the village on Monday.")
    assert m.source.name == "reporter" and m.source.span is None


def test_quotes_keep_their_speaker(nlp: Any) -> None:
    doc = nlp("“We will not retreat,” said General Aragorn Elessar. “Never.”\n\nOther news.")
    quotes = find_quotes(doc)
    assert [q.text for q in quotes] == ["“We will not retreat,”", "“Never.”"]
    assert quotes[0].speaker == "Aragorn Elessar"
    assert quotes[1].speaker == "Aragorn Elessar"
    assert all(doc.text[q.span.start : q.span.end] == q.text for q in quotes)


def test_spans_point_at_the_text(mentions_of: Any) -> None:
    text = "Israeli shelling killed 12 civilians in Bree, medics said."
    (m,) = mentions_of(text)
    for value in [*m.triggers, m.actor1, m.actor2]:
        assert value is not None
        assert text[value.span.start : value.span.end] == value.text
    assert (
        m.fatalities is not None
        and text[m.fatalities.start : m.fatalities.end] == m.fatalities.text
    )
