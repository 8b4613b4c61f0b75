"""Place candidates: actors are not places, clause roles, sub-places with hosts, qualifiers."""

from __future__ import annotations

from typing import Any

import pytest

from dateline.extract.places import PlaceCandidate, place_candidates


@pytest.fixture(scope="module")
def candidates_of(nlp: Any) -> Any:
    def run(text: str) -> list[PlaceCandidate]:
        doc = nlp(text)
        return [c for sent in doc.sents for c in place_candidates(sent, ())]

    return run


def _texts(found: list[PlaceCandidate]) -> list[str]:
    return [c.text for c in found]


def test_possessive_leader_is_an_actor_not_a_place(candidates_of: Any) -> None:
    found = candidates_of("Gondor's King urged Arnor to halt the siege of Bree.")
    assert "Gondor" not in _texts(found)
    assert "Bree" in _texts(found)


def test_clause_roles_tell_location_from_agent(candidates_of: Any) -> None:
    found = candidates_of("Talks in Bree were mediated by Gondor.")
    roles = {c.text: c.relation for c in found}
    assert roles["Bree"] == "locative"
    assert roles["Gondor"] == "agent"


def test_named_camp_attaches_to_its_host(candidates_of: Any) -> None:
    found = candidates_of("Troops entered the Osgiliath refugee camp on Monday.")
    (camp,) = [c for c in found if c.label == "subplace"]
    assert camp.text == "Osgiliath refugee camp"
    assert (camp.host_start, camp.host_end) == (camp.start, camp.start + len("Osgiliath"))
    assert "Osgiliath" not in _texts(found)  # listed through the camp


def test_facility_in_a_town_names_the_town_as_host(candidates_of: Any) -> None:
    text = "Doctors at the Houses of Healing Hospital in central Minas Tirith ran out of fuel."
    found = candidates_of(text)
    (sub,) = [c for c in found if c.label == "subplace"]
    assert sub.text.endswith("Houses of Healing Hospital")
    assert sub.host_start == text.index("Minas Tirith")
    assert "Minas Tirith" in _texts(found)


def test_street_names_are_not_towns(candidates_of: Any) -> None:
    found = candidates_of("The fire at 12 Bree Road spread quickly, police in Arnor said.")
    assert "Bree" not in _texts(found)


def test_state_abbreviation_after_a_town_is_a_candidate(candidates_of: Any) -> None:
    for state in ("Ga.", "W.Va.", "Ky."):
        found = candidates_of(f"A man from Bree, {state} was arrested on Monday.")
        assert state in _texts(found)


def test_capitalised_dateline_is_a_candidate(candidates_of: Any) -> None:
    found = candidates_of("OSGILIATH, March 3 - Fighting resumed near the river.")
    assert "OSGILIATH" in _texts(found)
