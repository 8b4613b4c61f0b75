"""Rule families of the event extractor on short sentences written for these tests."""

from __future__ import annotations

from typing import Any

import pytest

from dateline.extract.events import EventMention, TriggerMatcher, extract_mentions
from dateline.extract.ontology import acled_cues, actor_dictionary, negated_types, trigger_rules


@pytest.fixture(scope="module")
def mentions_of(nlp: Any) -> Any:
    matcher = TriggerMatcher(nlp.vocab)

    def run(text: str) -> list[EventMention]:
        return extract_mentions(nlp(text), matcher, actor_dictionary())

    return run


def _types(found: list[EventMention]) -> list[str]:
    return [m.rule.event_type for m in found]


def test_plain_trigger_rows_have_unique_keys_and_object_rows_name_objects() -> None:
    plain = [r.key for r in trigger_rules() if not r.objects]
    assert len(plain) == len(set(plain))
    assert any(r.objects for r in trigger_rules())
    assert set(negated_types().values()) == {"REJECT"}
    assert {"protest", "air", "armed_target"} <= set(acled_cues())


# --- verb + object rows -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "event_type"),
    [
        ("Gondor lifted the night curfew in Osgiliath on Sunday.", "CONCEDE"),
        ("Arnor imposed a curfew on the northern districts.", "COERCE"),
        ("The council imposed new sanctions on Gondor.", "SANCTION"),
        ("Arnor and Gondor restored diplomatic ties last month.", "COOPERATE"),
        ("Gondor expelled two diplomats from Arnor.", "SANCTION"),
        ("The ministers held talks in Bree on Friday.", "CONSULT"),
    ],
)
def test_verb_with_object_sets_the_type(mentions_of: Any, text: str, event_type: str) -> None:
    found = mentions_of(text)
    assert _types(found) == [event_type], text


def test_the_same_verb_without_that_object_is_not_that_type(mentions_of: Any) -> None:
    assert "CONCEDE" not in _types(mentions_of("The workers lifted heavy boxes all day."))
    assert _types(mentions_of("Police expelled the squatters from the building.")) == ["COERCE"]


def test_seizing_weapons_and_seizing_a_town_are_different_acled_types(mentions_of: Any) -> None:
    (arms,) = mentions_of("Police seized rifles and ammunition at a farm near Bree.")
    assert arms.rule.acled_sub_event_type == "Disrupted weapons use"
    (town,) = mentions_of("Rebels captured the town of Bree after heavy fighting.")
    assert town.rule.acled_event_type == "Battles"
    assert town.rule.acled_sub_event_type == "Non-state actor overtakes territory"


def test_territory_taken_by_state_forces_is_regained(mentions_of: Any) -> None:
    (m,) = mentions_of("Gondorian troops captured the village of Bree on Monday.")
    assert m.rule.acled_sub_event_type == "Government regains territory"


def test_capturing_people_is_an_abduction(mentions_of: Any) -> None:
    (m,) = mentions_of("Gunmen captured two aid workers near Bree.")
    assert m.rule.mode == "abduct"


# --- intent, negation and what is asked for ------------------------------------------------


def test_promised_action_is_not_an_event_of_its_own(mentions_of: Any) -> None:
    found = mentions_of("Arnor promised to withdraw its troops from Osgiliath.")
    assert _types(found) == ["AGREE"]
    assert found[0].actor1 is not None and found[0].actor1.country is None


def test_negated_agreement_is_a_rejection(mentions_of: Any) -> None:
    found = mentions_of("Gondor will not accept the peace plan.")
    assert _types(found) == ["REJECT"]
    assert found[0].status == "occurred"


def test_failure_to_agree_is_a_rejection(mentions_of: Any) -> None:
    assert _types(mentions_of("The two sides failed to reach an agreement on Sunday.")) == [
        "REJECT"
    ]


def test_state_asked_for_is_not_an_event(mentions_of: Any) -> None:
    found = mentions_of("Gondor wants the rebels disarmed before any talks.")
    assert "RETREAT" not in _types(found)
    request = next(m for m in found if m.rule.event_type == "REQUEST")
    assert request.actor2 is not None and request.actor2.kind == "armed_group"


# --- roles ----------------------------------------------------------------------------------


def test_title_and_name_give_person_with_office(mentions_of: Any) -> None:
    (m,) = mentions_of("Defense Minister Faramir Hurin rejected the proposal.")
    assert m.actor1 is not None
    assert m.actor1.kind == "government" and "Defense Minister" in m.actor1.name
    assert "Faramir" in m.actor1.name


def test_unlisted_named_group_keeps_its_name(mentions_of: Any) -> None:
    (m,) = mentions_of("The Orc Legion attacked a police post in Bree.")
    assert m.actor1 is not None and "Orc Legion" in m.actor1.name


def test_pronoun_subject_takes_the_previous_sentence_subject(mentions_of: Any) -> None:
    found = mentions_of("Gondor says the siege is lawful. It wants the rebels to surrender.")
    request = next(m for m in found if m.rule.event_type == "REQUEST")
    assert request.actor1 is not None and "Gondor" in request.actor1.text


def test_participle_modifier_takes_no_initiator_from_the_clause(mentions_of: Any) -> None:
    found = mentions_of("Arnor dropped leaflets about the kidnapped soldiers.")
    for mention in found:
        if mention.rule.mode == "abduct":
            assert mention.actor1 is None or mention.actor1.country != "ARN"


def test_relation_target_after_to(mentions_of: Any) -> None:
    (m,) = mentions_of("Argentina apologized to Brazil for the incident.")
    assert m.rule.event_type == "SUPPORT"
    assert m.actor2 is not None and m.actor2.country == "BRA"


# --- references back and ACLED refinements --------------------------------------------------


def test_definite_reference_joins_the_earlier_event(mentions_of: Any) -> None:
    found = mentions_of(
        "Rebels abducted three teachers in Bree on Monday. "
        "Villagers blamed the army for the abduction."
    )
    abductions = [m for m in found if m.rule.mode == "abduct"]
    assert len(abductions) == 1 and len(abductions[0].triggers) == 2


def test_a_new_event_with_its_own_actor_is_not_folded(mentions_of: Any) -> None:
    found = mentions_of(
        "Rebels attacked a convoy near Bree on Monday. The army attacked the rebel camp on Friday."
    )
    assert len([m for m in found if m.rule.event_type == "ASSAULT"]) == 2


@pytest.mark.parametrize(
    ("text", "sub_event_type"),
    [
        ("Militants attacked an army checkpoint near Bree.", "Armed clash"),
        ("Gunmen attacked a wedding party near Bree, killing six civilians.", "Attack"),
        ("Protesters threw stones at shops and torched cars in Bree.", "Violent demonstration"),
        ("Police fired live bullets at protesters in Bree, killing two.", None),
        ("Warplanes attacked the market in Bree.", "Air/drone strike"),
        ("Hundreds of students staged a peaceful protest in Bree.", "Peaceful protest"),
    ],
)
def test_acled_sub_types_from_sentence_cues(
    mentions_of: Any, text: str, sub_event_type: str | None
) -> None:
    found = mentions_of(text)
    subs = {m.rule.acled_sub_event_type for m in found}
    if sub_event_type is None:
        assert "Excessive force against protesters" in subs, text
    else:
        assert sub_event_type in subs, text


# --- CAMEO conventions for reported demands and announced acts -------------------------------


def test_reported_must_is_a_demand_from_speaker_to_subject(mentions_of: Any) -> None:
    found = mentions_of("Arnor said on Monday that Gondor must return the fishing boat.")
    assert _types(found) == ["REQUEST"]
    assert found[0].actor1 is not None and "Arnor" in found[0].actor1.text
    assert found[0].actor2 is not None and "Gondor" in found[0].actor2.text


def test_must_outside_reported_speech_is_not_a_demand(mentions_of: Any) -> None:
    assert mentions_of("Visitors must register at the gate.") == []


def test_actor_announcing_its_own_future_act_threatens(mentions_of: Any) -> None:
    found = mentions_of("The farmers said they would blockade the capital on Monday.")
    assert _types(found) == ["THREATEN"]


def test_someone_else_expecting_an_act_is_not_a_threat(mentions_of: Any) -> None:
    found = mentions_of("Analysts said the army would shell the town again.")
    assert _types(found) == ["ASSAULT"] and found[0].status == "expected"


def test_stated_future_cooperation_is_intent_to_cooperate(mentions_of: Any) -> None:
    found = mentions_of("Arnor will send food aid to the refugees in Bree.")
    assert _types(found) == ["AGREE"]


def test_reported_future_release_by_the_captors_is_a_promise(mentions_of: Any) -> None:
    found = mentions_of("The rebels said they will release the hostages on Sunday.")
    assert "AGREE" in _types(found) and "THREATEN" not in _types(found)


def test_reliable_weapon_word_beats_a_loose_verb(mentions_of: Any) -> None:
    (m,) = mentions_of("Two people were hurt when a grenade exploded near the market in Bree.")
    assert m.rule.acled_sub_event_type == "Grenade"


def test_found_explosives_are_disrupted_weapons_use(mentions_of: Any) -> None:
    (m,) = mentions_of("Soldiers found three explosive devices near the bridge and defused them.")
    assert m.rule.acled_sub_event_type == "Disrupted weapons use"
