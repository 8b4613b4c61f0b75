"""Actors named through a place: a town's residents, a town standing for its people."""

from __future__ import annotations

from dateline.extract.ontology import actor_dictionary
from dateline.models import Actor, ActorKind, AssociatedActor, GeoPrecision, Place, Span
from dateline.resolve.actor_places import place_actor, place_associated


def _actor(text: str, start: int, name: str, kind: ActorKind) -> Actor:
    return Actor(text=text, span=Span(start=start, end=start + len(text)), name=name, kind=kind)


def _place(text: str, start: int, country: str, precision: GeoPrecision = "town") -> Place:
    return Place(
        text=text,
        span=Span(start=start, end=start + len(text)),
        name=text,
        country=country,
        geo_precision=precision,
        geonameid=start + 1,
    )


def _never(place: Place) -> bool:
    return False


def test_a_town_is_never_a_country_actor_but_its_people() -> None:
    # "... dropped leaflets over Dilling warning of ..."
    actor = _actor("Dilling", 30, "Dilling", "country")
    placed = place_actor(
        actor, [_place("Dilling", 30, "SDN")], actor_dictionary(), is_capital=_never
    )
    assert placed is not None
    assert (placed.kind, placed.country, placed.name) == ("civilians", "SDN", "Civilians (Sudan)")
    assert placed.text == "Dilling" and placed.span == actor.span


def test_a_capital_stands_for_its_government() -> None:
    actor = _actor("Juba", 0, "Juba", "country")
    placed = place_actor(
        actor, [_place("Juba", 0, "SSD")], actor_dictionary(), is_capital=lambda p: True
    )
    assert placed is not None and placed.kind == "government"
    assert placed.name == "Government of South Sudan" and placed.country == "SSD"


def test_residents_named_with_their_town_take_its_country() -> None:
    dictionary = actor_dictionary()
    for text, place_at in (("Dilling residents", 0), ("the residents of Dilling", 17)):
        actor = _actor(text, 0, "Residents", "civilians")
        placed = place_actor(
            actor, [_place("Dilling", place_at, "SDN")], dictionary, is_capital=_never
        )
        assert placed is not None
        assert (placed.name, placed.country, placed.kind) == (
            "Residents (Sudan)",
            "SDN",
            "civilians",
        ), text


def test_bare_residents_take_the_town_just_named() -> None:
    # "Troops shelled Dilling on Monday. They told residents to leave."
    actor = _actor("residents", 50, "Residents", "civilians")
    far = _place("Kadugli", 0, "SSD")
    near = _place("Dilling", 15, "SDN")
    placed = place_actor(actor, [far, near], actor_dictionary(), is_capital=_never)
    assert placed is not None and placed.country == "SDN"
    alone = place_actor(actor, [], actor_dictionary(), is_capital=_never)
    assert alone is not None and alone.country is None


def test_an_actor_with_a_country_or_a_name_keeps_it() -> None:
    dictionary = actor_dictionary()
    army = _actor("the Sudanese army in Dilling", 0, "Military Forces of Sudan", "military")
    army = army.model_copy(update={"country": "SDN"})
    places = [_place("Dilling", 20, "SSD")]
    assert place_actor(army, places, dictionary, is_capital=_never) == army
    group = _actor("Dilling Youth Union", 0, "Dilling Youth Union", "other")
    placed = place_actor(group, [_place("Dilling", 0, "SDN")], dictionary, is_capital=_never)
    assert placed is not None and placed.name == "Dilling Youth Union"
    assert placed.country == "SDN" and placed.kind == "other"


def test_associated_actors_keep_their_role() -> None:
    actor = AssociatedActor(
        text="Dilling", span=Span(start=0, end=7), name="Dilling", kind="country", role="actor2"
    )
    (placed,) = place_associated(
        [actor], [_place("Dilling", 0, "SDN")], actor_dictionary(), is_capital=_never
    )
    assert placed.role == "actor2" and placed.kind == "civilians"
