"""Merging mentions of one event inside an article: same figures once, different events apart."""

from __future__ import annotations

import datetime as dt

from dateline.link.merge import compatible, merge_events, swapped
from dateline.models import (
    Actor,
    AssociatedActor,
    Count,
    Event,
    Location,
    Provenance,
    Span,
    Spanned,
    When,
)

DAY = dt.date(2024, 3, 5)


def _event(
    start: int,
    *,
    event_type: str = "ASSAULT",
    actor1: str | None = "Military Forces of Gondor",
    actor2: str | None = None,
    best: int | None = None,
    when: When | None = None,
    place: int | None = None,
    status: str = "occurred",
) -> Event:
    span = Span(start=start, end=start + 5)
    trigger = Spanned(text="shell", span=span)
    return Event(
        id=f"e{start}",
        doc_id="d1",
        event_type=event_type,  # type: ignore[arg-type]
        actor1=Actor(text="x", span=span, name=actor1, country="GON") if actor1 else None,
        actor2=Actor(text="y", span=span, name=actor2, kind="civilians") if actor2 else None,
        location=Location(text="Bree", span=span, geonameid=place, geo_precision="town")
        if place
        else None,
        date=when or When(text="", span=span, start=DAY, end=DAY, precision="reported"),
        fatalities=Count(text=str(best), span=span, low=best, best=best)
        if best is not None
        else None,
        status=status,  # type: ignore[arg-type]
        provenance=Provenance(
            sentence="s", start=start, end=start + 5, trigger=trigger, mentions=[trigger]
        ),
        confidence=0.5,
    )


def test_headline_and_body_with_the_same_toll_merge_once() -> None:
    merged = merge_events([_event(0, best=100), _event(50, best=100, place=7), _event(90)])
    assert len(merged) == 1
    assert merged[0].id == "e0"
    assert merged[0].fatalities is not None and merged[0].fatalities.best == 100
    assert merged[0].location is not None and merged[0].location.geonameid == 7
    assert [m.span.start for m in merged[0].provenance.mentions] == [0, 50, 90]


def test_different_tolls_stay_apart() -> None:
    assert len(merge_events([_event(0, best=100), _event(50, best=12)])) == 2


def test_different_places_and_days_stay_apart() -> None:
    monday = When(text="Monday", span=Span(start=0, end=6), start=DAY, end=DAY, precision="day")
    later = DAY + dt.timedelta(days=9)
    friday = When(text="Friday", span=Span(start=0, end=6), start=later, end=later, precision="day")
    assert not compatible(_event(0, place=1), _event(9, place=2))
    assert not compatible(_event(0, when=monday), _event(9, when=friday))


def test_historical_never_merges_with_a_current_event() -> None:
    assert not compatible(_event(0), _event(9, status="historical"))


def test_statements_merge_only_with_the_same_speaker_and_addressee() -> None:
    a = _event(
        0, event_type="REQUEST", actor1="Government of Jordan", actor2="Government of Gondor"
    )
    b = _event(9, event_type="REQUEST", actor1="United Nations", actor2="Government of Gondor")
    c = _event(
        20, event_type="REQUEST", actor1="Government of Jordan", actor2="Government of Gondor"
    )
    assert not compatible(a, b)
    assert compatible(a, c)


def _worded(event: Event, word: str) -> Event:
    trigger = Spanned(text=word, span=event.provenance.trigger.span)
    provenance = event.provenance.model_copy(update={"trigger": trigger, "mentions": [trigger]})
    return event.model_copy(update={"provenance": provenance})


def test_headline_statement_without_actors_joins_the_same_words_in_the_body() -> None:
    headline = _worded(_event(0, event_type="CONSULT", actor1=None), "Peace Talks")
    body = _worded(_event(40, event_type="CONSULT", actor1="Government of Gondor"), "peace talks")
    other = _worded(_event(80, event_type="CONSULT", actor1=None), "meeting")
    assert compatible(headline, body)
    assert not compatible(headline, other)


def test_two_requests_by_one_speaker_in_other_words_stay_apart() -> None:
    first = _worded(_event(0, event_type="REQUEST", actor1="Orc Legion"), "wants")
    second = _worded(_event(40, event_type="REQUEST", actor1="Orc Legion"), "demands")
    assert not compatible(first, second)


_SIDES = {
    "Military Forces of Gondor": ("GON", "military"),
    "Orc Legion": ("MOR", "armed_group"),
    "Black Hand": ("MOR", "armed_group"),
}


def _side(name: str | None, span: Span) -> Actor | None:
    if name is None:
        return None
    country, kind = _SIDES[name]
    return Actor(text=name, span=span, name=name, country=country, kind=kind)


def _battle(
    start: int,
    actor1: str | None,
    actor2: str | None,
    *,
    ally: str | None = None,
    battle: bool = True,
) -> Event:
    event = _event(start)
    span = event.provenance.trigger.span
    allies = []
    if ally is not None:
        country, kind = _SIDES[ally]
        allies = [
            AssociatedActor(
                text=ally,
                span=span,
                name=ally,
                country=country,
                kind=kind,
                role="actor1",
            )
        ]
    return event.model_copy(
        update={
            "acled_event_type": "Battles" if battle else "Violence against civilians",
            "acled_sub_event_type": "Armed clash" if battle else "Attack",
            "actor1": _side(actor1, span),
            "actor2": _side(actor2, span),
            "associated_actors": allies,
        }
    )


def test_a_battle_told_from_either_side_is_one() -> None:
    first = _battle(0, "Military Forces of Gondor", None)
    second = _battle(40, "Orc Legion", "Military Forces of Gondor", ally="Black Hand")
    (merged,) = merge_events([first, second])
    assert merged.actor1 is not None and merged.actor1.name == "Military Forces of Gondor"
    assert merged.actor2 is not None and merged.actor2.name == "Orc Legion"
    assert [(a.name, a.role) for a in merged.associated_actors] == [("Black Hand", "actor2")]
    assert swapped(swapped(second)) == second


def test_a_one_sided_attack_is_not_turned_around() -> None:
    attack = _battle(0, "Military Forces of Gondor", None, battle=False)
    other = _battle(40, "Orc Legion", "Military Forces of Gondor", battle=False)
    assert len(merge_events([attack, other])) == 2


def test_talks_and_negotiations_are_one_process() -> None:
    headline = _worded(_event(0, event_type="CONSULT", actor1=None), "Truce Talks")
    body = _worded(
        _event(40, event_type="CONSULT", actor1="Government of Gondor", actor2="Orc Legion"),
        "negotiations",
    )
    assert compatible(headline, body)
    other = _worded(
        _event(80, event_type="CONSULT", actor1="Government of Rohan", actor2="Orc Legion"),
        "talks",
    )
    assert not compatible(body, other)


def _said(event: Event, sentence: str, word: str) -> Event:
    worded = _worded(event, word)
    provenance = worded.provenance.model_copy(update={"sentence": sentence})
    return worded.model_copy(update={"provenance": provenance})


def test_two_demands_between_the_same_sides_stay_apart_unless_they_say_the_same() -> None:
    sides = {"event_type": "REQUEST", "actor1": "Orc Legion", "actor2": "Government of Gondor"}
    prisoners = _said(
        _event(0, **sides),  # type: ignore[arg-type]
        "The Orc Legion wants its fighters held in Gondor's jails freed.",
        "wants",
    )
    siege = _said(
        _event(90, **sides),  # type: ignore[arg-type]
        "The Orc Legion asks that the siege of its valley be lifted before any truce.",
        "asks",
    )
    headline = _said(
        _event(200, **sides),  # type: ignore[arg-type]
        "Orc Legion demands Gondor free the fighters held in its jails",
        "demands",
    )
    assert not compatible(prisoners, siege)
    assert compatible(prisoners, headline)
