"""Rule families of the event extractor on short sentences written for these tests."""

from __future__ import annotations

from typing import Any

import pytest

from dateline.extract.events import EventMention
from dateline.extract.ontology import acled_cues, negated_types, trigger_rules


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


# --- coordinated actors, context, mediators, media, spokespeople ------------------------------


def test_coordinated_objects_are_associated_with_the_target(mentions_of: Any) -> None:
    (m,) = mentions_of("Congolese troops are battling M23 and Wazalendo fighters near Goma.")
    assert m.actor1 is not None and m.actor1.country == "COD" and m.actor1.kind == "military"
    assert m.actor2 is not None and m.actor2.name == "M23"
    assert [(a.role, a.name) for a in m.associated] == [("actor2", "Wazalendo fighters")]


def test_coordinated_subjects_are_associated_with_the_initiator(mentions_of: Any) -> None:
    (m,) = mentions_of(
        "The UN and regional leaders like Kenya’s President Ruto are calling for a ceasefire."
    )
    assert m.actor1 is not None and m.actor1.name == "United Nations"
    (other,) = m.associated
    assert other.role == "actor1"
    assert (other.country, other.person, other.office) == ("KEN", "Ruto", "President")


def test_bare_forces_take_their_country_from_the_sentence_before(mentions_of: Any) -> None:
    found = mentions_of(
        "Columns of Ethiopian tanks moved toward the border town. "
        "Heavy clashes are underway as fighters of the Tigray Defence Forces engage the "
        "invading forces."
    )
    clash = next(m for m in found if m.rule.acled_sub_event_type == "Armed clash")
    named = [a for a in (clash.actor1, clash.actor2) if a is not None and a.kind == "military"]
    assert [a.country for a in named] == ["ETH"]
    assert all(a.name != "Forces" for a in (clash.actor1, clash.actor2) if a is not None)


def test_bare_forces_never_take_the_other_sides_name(mentions_of: Any) -> None:
    (m,) = mentions_of("Sudanese troops clashed with the forces near Omdurman.")
    assert m.actor1 is not None and m.actor1.country == "SDN"
    assert m.actor2 is None or m.actor2.name != m.actor1.name


def test_mediator_is_neither_side_of_the_talks(mentions_of: Any) -> None:
    for text in (
        "Talks mediated by Qatar between Sudan and the RSF have stalled.",
        "Qatar mediated talks between Sudan and the RSF on Monday.",
    ):
        (m,) = mentions_of(text)
        assert m.rule.event_type == "CONSULT", text
        assert m.actor1 is not None and m.actor1.country == "SDN", text
        assert m.actor2 is not None and m.actor2.name == "Rapid Support Forces", text
        assert [(a.role, a.country) for a in m.associated] == [("mediator", "QAT")], text


def test_a_leaflet_speaks_for_whoever_dropped_it(mentions_of: Any) -> None:
    found = mentions_of(
        "The Sudanese army dropped leaflets over Omdurman. "
        "The leaflets tell residents they must pressure the RSF to release the prisoners."
    )
    request = next(m for m in found if m.rule.event_type == "REQUEST")
    assert request.actor1 is not None and request.actor1.country == "SDN"
    assert request.actor1.kind == "military"
    assert request.actor2 is not None and request.actor2.kind == "civilians"
    assert request.source.text == "The leaflets"


def test_a_leaflet_dropped_by_someone_in_a_passive(mentions_of: Any) -> None:
    found = mentions_of(
        "Leaflets dropped by the Sudanese army over Omdurman on Sunday warned of an assault. "
        "The leaflets tell residents they must leave the city."
    )
    request = next(m for m in found if m.rule.event_type == "REQUEST")
    assert request.actor1 is not None and request.actor1.country == "SDN"


def test_a_medium_with_no_issuer_in_sight_is_not_an_actor(mentions_of: Any) -> None:
    (m,) = mentions_of("The leaflets tell residents they must leave the town.")
    assert m.actor1 is None
    assert m.actor2 is not None and m.actor2.kind == "civilians"


def test_threat_target_is_who_must_yield(mentions_of: Any) -> None:
    (m,) = mentions_of(
        "Sudan's army chief vowed to press on with the offensive until the RSF surrenders."
    )
    assert m.rule.event_type == "THREATEN"
    assert m.actor2 is not None and m.actor2.name == "Rapid Support Forces"
    (n,) = mentions_of(
        "The president has vowed to keep up the pressure until the junta steps down."
    )
    assert n.actor2 is not None and n.actor2.kind == "military"


def test_release_request_is_addressed_to_the_jailer(mentions_of: Any) -> None:
    (m,) = mentions_of(
        "The RSF wants to swap the hostages for the release of dozens of fighters held in "
        "Sudanese jails."
    )
    assert m.rule.event_type == "REQUEST"
    assert m.actor2 is not None and (m.actor2.country, m.actor2.kind) == ("SDN", "government")


def test_a_refusal_answers_the_request_before_it(mentions_of: Any) -> None:
    found = mentions_of(
        "The UN is calling for an immediate ceasefire. "
        "But Sudan has so far refused, with Foreign Minister Ali Youssef saying they will not "
        "negotiate with a militia."
    )
    request = next(m for m in found if m.rule.event_type == "REQUEST")
    refusal = next(m for m in found if m.rule.event_type == "REJECT")
    assert request.actor2 is not None and request.actor2.country == "SDN"
    assert request.actor2.person is None
    assert refusal.actor1 is not None and refusal.actor1.country == "SDN"
    assert (refusal.actor1.person, refusal.actor1.office) == ("Ali Youssef", "Foreign Minister")
    assert refusal.actor2 is not None and refusal.actor2.name == "United Nations"


def test_a_refusal_far_from_the_request_answers_nothing(mentions_of: Any) -> None:
    found = mentions_of(
        "The UN is calling for an immediate ceasefire. Fighting went on in Omdurman. "
        "Sudan has refused."
    )
    request = next(m for m in found if m.rule.event_type == "REQUEST")
    assert request.actor2 is None


def test_a_spokesperson_of_another_country_is_not_the_actors_person(mentions_of: Any) -> None:
    (m,) = mentions_of(
        "Sudan refused the plan, with Kenya's President Ruto saying the talks had failed."
    )
    assert m.actor1 is not None and m.actor1.country == "SDN" and m.actor1.person is None


def test_a_request_to_end_an_act_goes_to_whoever_does_it(mentions_of: Any) -> None:
    found = mentions_of(
        "Sudan's 3-year siege of El Fasher has starved the city. "
        "The RSF wants the siege lifted in return for a truce."
    )
    request = next(m for m in found if m.rule.event_type == "REQUEST")
    assert request.actor2 is not None and request.actor2.country == "SDN"
    assert request.actor2.kind == "government"
    (alone,) = mentions_of("The RSF wants the siege lifted.")
    assert alone.actor2 is None


# --- ACLED sub-types: territory changing hands without a fight, arrests at protests ---------


@pytest.mark.parametrize(
    ("text", "sub_event_type"),
    [
        (
            "Rebel fighters took control of the town after the army withdrew from it.",
            "Non-violent transfer of territory",
        ),
        (
            "The militia seized the border crossing without resistance on Friday.",
            "Non-violent transfer of territory",
        ),
        (
            "Government troops withdrew from the northern town on Sunday.",
            "Non-violent transfer of territory",
        ),
        (
            "Rebels seized the town after two days of heavy fighting.",
            "Non-state actor overtakes territory",
        ),
        (
            "Police detained dozens of protesters in the capital on Sunday.",
            "Protest with intervention",
        ),
        (
            "Police arrested twelve students during the rally outside parliament.",
            "Protest with intervention",
        ),
        ("Police arrested an activist for organising a protest last month.", "Arrests"),
        (
            "Police fired tear gas to disperse the protesters in the square.",
            "Protest with intervention",
        ),
        (
            "Police fired live bullets at the protesters, killing two.",
            "Excessive force against protesters",
        ),
    ],
)
def test_acled_sub_types_for_transfers_and_interventions(
    mentions_of: Any, text: str, sub_event_type: str
) -> None:
    found = mentions_of(text)
    subs = [m.rule.acled_sub_event_type for m in found]
    assert sub_event_type in subs, (text, subs)
    if sub_event_type == "Arrests":  # the arrest itself stays an arrest
        arrest = next(m for m in found if m.rule.event_type != "PROTEST")
        assert arrest.rule.acled_sub_event_type == "Arrests"


def test_a_withdrawal_of_an_offer_is_not_a_transfer_of_territory(mentions_of: Any) -> None:
    found = mentions_of("The minister withdrew the bill from parliament.")
    assert all(m.rule.acled_sub_event_type != "Non-violent transfer of territory" for m in found)


# --- what is only meant, and requests nobody makes -----------------------------------------


def test_a_demand_only_sought_is_expected_not_made(mentions_of: Any) -> None:
    found = mentions_of("Arnor is seeking leverage to demand the release of its pilots.")
    requests = [m for m in found if m.rule.event_type == "REQUEST"]
    assert requests and all(m.status == "expected" for m in requests)


def test_an_act_in_a_plan_is_expected(mentions_of: Any) -> None:
    (m,) = mentions_of("Gondor announced a plan to seize the port of Bree.")
    assert m.status == "expected"


def test_the_first_to_act_did_act(mentions_of: Any) -> None:
    found = mentions_of("Gondor was the first state to impose sanctions on Arnor.")
    assert all(m.status != "expected" for m in found)


@pytest.mark.parametrize(
    "text",
    [
        "The whole world is pleading for calm.",
        "Arnor Drops Leaflets Demanding Surrender of Bree",
    ],
)
def test_a_request_nobody_makes_to_nobody_is_dropped(mentions_of: Any, text: str) -> None:
    assert "REQUEST" not in _types(mentions_of(text))


def test_a_demand_noun_names_who_asks_and_who_must_act(mentions_of: Any) -> None:
    found = mentions_of(
        "The rebels insisted on their demand that the Gondorian government free the prisoners."
    )
    assert _types(found) == ["REQUEST"]  # what is demanded is no event of its own
    (m,) = found
    assert m.actor1 is not None and m.actor1.kind == "armed_group"
    assert m.actor2 is not None and m.actor2.kind == "government"


# --- actor spans stop where the parser glued a verb on ----------------------------------


@pytest.mark.parametrize(
    ("text", "side1", "side2"),
    [
        ("The negotiations between Gondor and the Orc Legion stall.", "Gondor", "Orc Legion"),
        ("Negotiations between Sudan and the RSF collapse in Jeddah.", "Sudan", "RSF"),
    ],
)
def test_a_name_before_a_misread_verb_ends_the_actor(
    mentions_of: Any, text: str, side1: str, side2: str
) -> None:
    (m,) = mentions_of(text)
    assert m.actor1 is not None and m.actor1.text == side1
    assert m.actor2 is not None and m.actor2.text.removeprefix("the ") == side2


def test_a_verb_read_as_a_modifier_is_not_part_of_the_actor(mentions_of: Any) -> None:
    found = mentions_of("Sudan and the RSF held talks in Jeddah.")
    actors = [a for m in found for a in (m.actor1, m.actor2) if a is not None]
    assert actors and all("held" not in a.text for a in actors)
    assert any(a.name == "Rapid Support Forces" for a in actors)


def test_a_role_noun_after_a_name_stays_in_the_actor(mentions_of: Any) -> None:
    (m,) = mentions_of("Orc Legion fighters attacked a convoy near Bree.")
    assert m.actor1 is not None and m.actor1.text == "Orc Legion fighters"


# --- protest demands, ultimatums and readiness for force ------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Students marched through Bree on Friday to demand the release of their teachers.",
        "Farmers blocked the roads into Bree demanding lower fuel prices.",
        "The miners continued their hunger strike to demand back pay.",
    ],
)
def test_what_protesters_demand_is_the_protests_cause(mentions_of: Any, text: str) -> None:
    assert _types(mentions_of(text)) == ["PROTEST"]


def test_a_demand_without_a_protest_is_a_request(mentions_of: Any) -> None:
    assert _types(mentions_of("Students demanded the release of their teachers.")) == ["REQUEST"]


def test_an_announced_act_with_an_unless_clause_is_a_threat(mentions_of: Any) -> None:
    (ultimatum,) = mentions_of(
        "Gondor said it would withdraw its troops from Bree unless Arnor paid the debt."
    )
    assert ultimatum.rule.event_type == "THREATEN"
    (promise,) = mentions_of("Gondor said it would withdraw its troops from Bree next year.")
    assert promise.rule.event_type == "AGREE"


def test_readiness_for_force_threatens_and_readiness_to_talk_offers(mentions_of: Any) -> None:
    (force,) = mentions_of(
        "The Gondorian government said it is prepared to impose a curfew on Bree."
    )
    assert force.rule.event_type == "THREATEN"
    (talk,) = mentions_of("The Gondorian government said it is prepared to hold talks with Arnor.")
    assert talk.rule.event_type == "AGREE"


@pytest.mark.parametrize(
    ("text", "sub_type"),
    [
        (
            "Gondorian troops freed three villages near Bree on Sunday.",
            "Government regains territory",
        ),
        (
            "Orc raiders have taken over two villages east of Bree.",
            "Non-state actor overtakes territory",
        ),
        (
            "The rebels gained ground north of Bree overnight.",
            "Non-state actor overtakes territory",
        ),
        ("The army has created a new base outside Bree.", "Headquarters or base established"),
        ("Police discovered a hideout stocked with rifles near Bree.", "Disrupted weapons use"),
    ],
)
def test_objects_that_make_territory_bases_and_arms_finds(
    mentions_of: Any, text: str, sub_type: str
) -> None:
    subs = [m.rule.acled_sub_event_type for m in mentions_of(text)]
    assert sub_type in subs, (text, subs)


def test_freeing_people_is_still_a_release(mentions_of: Any) -> None:
    (m,) = mentions_of("The rebels freed two hostages near Bree.")
    assert m.rule.event_type == "RETREAT"


@pytest.mark.parametrize(
    "text",
    [
        "Arnor complained to the council about the border closures.",
        "A Bree trader is suing the Gondorian army for the loss of his shop.",
        "The court indicted two Orc Legion commanders last week.",
    ],
)
def test_complaints_lawsuits_and_indictments_accuse(mentions_of: Any, text: str) -> None:
    assert "ACCUSE" in _types(mentions_of(text)), text


def test_an_event_given_as_anothers_occasion_is_background(mentions_of: Any) -> None:
    found = mentions_of("Gondor imposed a curfew on Bree after the killing of two guards.")
    by_type = {m.rule.event_type: m for m in found}
    assert by_type["ASSAULT"].background
    assert not by_type["COERCE"].background
    (alone,) = mentions_of("Two guards were shot in Bree on Monday.")
    assert not alone.background
